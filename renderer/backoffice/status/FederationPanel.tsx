import { useState, type FormEvent } from 'react';
import type { FederationStatus, LastReconcile } from '../../../shared/contract/index.js';
import { ErrorNote } from '../../components/ErrorNote.js';
import { useNow } from '../../components/useNow.js';
import { useLocale, useT, type Translate } from '../../i18n/index.js';
import { formatAgo, formatWhen } from '../../i18n/format.js';
import { useApp } from '../../state/context.js';

/** Joining a central (owner only: the node refuses anyone else with a message the note shows). */
function EnrollForm() {
  const t = useT();
  const enroll = useApp((s) => s.enroll);
  const busy = useApp((s) => s.federationBusy);
  const [centralUrl, setUrl] = useState('');
  const [code, setCode] = useState('');
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void enroll({ centralUrl: centralUrl.trim(), code: code.trim() });
  };
  return (
    <form onSubmit={submit} data-testid="fed-enroll">
      <p>{t('fed.standalone')}</p>
      <p className="muted">{t('fed.joinHint')}</p>
      <label>
        {t('fed.url')}
        <input value={centralUrl} onChange={(e) => setUrl(e.target.value)} placeholder="http://192.168.0.10:8080" data-testid="fed-url" required />
      </label>
      <label>
        {t('fed.code')}
        <input value={code} onChange={(e) => setCode(e.target.value)} autoComplete="off" data-testid="fed-code" required />
      </label>
      <button type="submit" disabled={busy} data-testid="fed-join">
        {t('fed.join')}
      </button>
    </form>
  );
}

/** The newest reconciliation in words: what an owner needs is "does it all match", and if not, whom to call. */
function reconcileText(last: LastReconcile | null, t: Translate, locale: string, now: number): string {
  if (!last) return t('fed.reconcile.never');
  return t(`fed.reconcile.${last.outcome}`, { when: formatAgo(last.at, locale, t, now), pulled: last.pulled.toLocaleString(locale), pushed: last.pushed.toLocaleString(locale) });
}

const toneOf = (last: LastReconcile | null): string => (last?.outcome === 'stalled' ? 'tone-bad' : last?.outcome === 'failed' ? 'tone-warn' : '');

/** This machine's clock against the central's: flagged past 2 minutes (sales go on; the person fixes the clock). */
function ClockSkew({ fed }: { fed: FederationStatus }) {
  const t = useT();
  if (fed.clockSkewMs === null) return null;
  const minutes = Math.round(Math.abs(fed.clockSkewMs) / 60_000);
  return (
    <div className="row">
      <dt>{t('fed.clockSkew')}</dt>
      <dd className={fed.clockSkewFlagged ? 'tone-warn' : undefined} data-testid="fed-clock-skew" data-flagged={fed.clockSkewFlagged}>
        {fed.clockSkewFlagged ? t('fed.clockSkew.off', { minutes }) : t('fed.clockSkew.ok', { seconds: Math.round(fed.clockSkewMs / 1000) })}
      </dd>
    </div>
  );
}

function Linked({ fed }: { fed: FederationStatus }) {
  const t = useT();
  const locale = useLocale();
  const now = useNow(30_000);
  const busy = useApp((s) => s.federationBusy);
  const syncNow = useApp((s) => s.syncNow);
  const reconcileNow = useApp((s) => s.reconcileNow);
  const resetBreaker = useApp((s) => s.resetBreaker);
  const ago = fed.lastContactAt ? formatAgo(fed.lastContactAt, locale, t, now) : t('fed.never');
  const retryDeadLetter = useApp((s) => s.retryDeadLetter);
  const breaker =
    fed.breaker.state === 'open'
      ? t('fed.breaker.open', { when: fed.breaker.retryAt ? formatWhen(fed.breaker.retryAt, locale, t, now) : '—' })
      : t(`fed.breaker.${fed.breaker.state}`);
  const row = (label: string, testId: string, value: string, extra: { className?: string; title?: string; state?: string } = {}) => (
    <div className="row">
      <dt>{label}</dt>
      <dd data-testid={testId} className={extra.className} title={extra.title} data-state={extra.state}>
        {value}
      </dd>
    </div>
  );
  return (
    <>
      <p className={`fed-state ${fed.online ? 'tone-ok' : 'tone-warn'}`} data-testid="fed-online" data-online={fed.online}>
        {t(fed.online ? 'fed.online.ago' : 'fed.offline.ago', { ago })}
      </p>
      {fed.online ? null : <p data-testid="fed-offline-kept">{t('fed.offline.kept')}</p>}
      <p className="muted" data-testid="fed-central">
        {t('fed.centralAt', { url: fed.centralUrl ?? '' })}
      </p>
      {fed.deadLetter ? (
        <p className="banner banner-full" role="alert" data-testid="fed-dead-letter" data-kind={fed.deadLetter.kind ?? 'refused'}>
          {fed.deadLetter.kind === 'failing'
            ? t('fed.deadLetter.failing', { count: fed.pushAttemptLimit })
            : t('fed.deadLetter', { reason: fed.deadLetter.reason })}{' '}
          {t(fed.deadLetter.alerted === false ? 'fed.deadLetter.notAlerted' : 'fed.deadLetter.alerted')}
        </p>
      ) : null}
      {fed.clockSkewFlagged && fed.clockSkewMs !== null ? (
        <p className="banner banner-full" role="alert" data-testid="fed-clock-banner">
          {t(fed.clockSkewMs > 0 ? 'fed.clockSkew.ahead' : 'fed.clockSkew.behind', { minutes: Math.round(Math.abs(fed.clockSkewMs) / 60_000) })}
        </p>
      ) : null}
      {!fed.deadLetter && fed.pushAttempts > 0 ? (
        <p className="tone-warn" data-testid="fed-push-attempts">
          {t('fed.pushAttempts', { count: fed.pushAttempts, limit: fed.pushAttemptLimit })}
        </p>
      ) : null}
      <dl className="facts">
        {row(t('fed.pending'), 'fed-backlog', fed.backlog.toLocaleString(locale))}
        {row(t('fed.reconcile'), 'fed-reconcile', reconcileText(fed.lastReconcile, t, locale, now), {
          className: toneOf(fed.lastReconcile),
          // The technical reason stays one hover away, for support.
          title: fed.lastReconcile?.reason,
          state: fed.lastReconcile?.outcome ?? 'never',
        })}
        {row(t('fed.breaker'), 'fed-breaker', breaker, { state: fed.breaker.state })}
        {fed.fiscalNumbersLeft !== null ? row(t('fed.fiscalLeft'), 'fed-fiscal-left', fed.fiscalNumbersLeft.toLocaleString(locale)) : null}
        <ClockSkew fed={fed} />
      </dl>
      {fed.lastError && !fed.online ? (
        <p className="muted" data-testid="fed-last-error">
          {t('fed.supportDetail', { error: fed.lastError })}
        </p>
      ) : null}
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void syncNow()} data-testid="fed-sync">
          {t('fed.syncNow')}
        </button>
        <button type="button" disabled={busy} onClick={() => void reconcileNow()} data-testid="fed-reconcile-now">
          {t('fed.reconcileNow')}
        </button>
        {fed.breaker.state !== 'closed' ? (
          <button type="button" disabled={busy} onClick={() => void resetBreaker()} data-testid="fed-reset">
            {t('fed.resetBreaker')}
          </button>
        ) : null}
        {fed.deadLetter ? (
          <button type="button" disabled={busy} onClick={() => void retryDeadLetter()} data-testid="fed-retry-dead-letter">
            {t('fed.retryDeadLetter')}
          </button>
        ) : null}
      </div>
      <p className="muted" role="status" data-testid={busy ? 'fed-working' : 'fed-hint'}>
        {t(busy ? 'fed.working' : 'fed.reconcileHint')}
      </p>
    </>
  );
}

/** The terminal's link to its central on the status screen: state, and the few actions a person can take. */
export function FederationPanel() {
  const t = useT();
  const fed = useApp((s) => s.status?.federation);
  const error = useApp((s) => s.federationError);
  if (!fed) return null;
  return (
    <section className="card" data-testid="fed-panel">
      <h2>{t('fed.title')}</h2>
      {fed.enrolled ? <Linked fed={fed} /> : <EnrollForm />}
      <ErrorNote error={error} testId="fed" />
    </section>
  );
}
