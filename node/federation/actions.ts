import { contract, type FederationStatus } from '../../shared/contract/index.js';
import { assertNever } from '../../shared/errors.js';
import type { FederationActions } from '../runtime/control.js';
import type { Federation } from './index.js';

/** The relay status in one line, for `mostrador enroll` and `mostrador federation …`. */
export function describeStatus(s: FederationStatus): string {
  if (!s.enrolled) return 'not joined to a central';
  const parts = [
    `central ${s.centralUrl}`,
    s.online ? 'online' : 'offline',
    `last contact ${s.lastContactAt ?? 'never'}`,
    `backlog ${s.backlog}`,
    `breaker ${s.breaker.state}${s.breaker.retryAt ? ` until ${s.breaker.retryAt}` : ''}`,
  ];
  const r = s.lastReconcile;
  if (r) parts.push(`last reconcile ${r.outcome} at ${r.at}${r.pulled + r.pushed > 0 ? ` (pulled ${r.pulled}, pushed ${r.pushed})` : ''}${r.outcome === 'stalled' || r.outcome === 'failed' ? `: ${r.reason}` : ''}`);
  if (s.clockSkewFlagged && s.clockSkewMs !== null) parts.push(`CLOCK ${Math.round(s.clockSkewMs / 1000)} s off the central's (fix this machine's clock)`);
  if (s.pushAttempts > 0) parts.push(`push failed ${s.pushAttempts} of ${s.pushAttemptLimit} attempts`);
  if (s.deadLetter) {
    parts.push(`DEAD LETTER: event ${s.deadLetter.eventId} refused (${s.deadLetter.reason})${s.deadLetter.alerted === false ? ', central not alerted yet' : ''}`);
  }
  if (s.lastError) parts.push(`last error: ${s.lastError}`);
  return parts.join(' · ');
}

/** What the control channel runs for the CLI: the same calls as the API methods, so both act on one relay. */
export function federationActions(federation: Federation): FederationActions {
  return async (ask) => {
    switch (ask.ask) {
      case 'enroll': {
        const input = contract['federation.enroll'].input.safeParse({ centralUrl: ask.central, code: ask.code });
        if (!input.success) throw new Error(`usage: mostrador enroll --central http://host:port --code CODE (${input.error.issues[0]?.message ?? 'bad input'})`);
        return `enrolled: ${describeStatus(await federation.enroll(input.data))}`;
      }
      case 'status':
        return describeStatus(await federation.status());
      case 'syncNow':
        return describeStatus(await federation.syncNow());
      case 'resetBreaker':
        return `breaker reset: ${describeStatus(await federation.resetBreaker())}`;
      case 'reconcileNow':
        return `reconciled: ${describeStatus(await federation.reconcileNow())}`;
      case 'retryDeadLetter':
        return `dead letter retried: ${describeStatus(await federation.retryDeadLetter())}`;
      default:
        return assertNever(ask, 'federation ask');
    }
  };
}
