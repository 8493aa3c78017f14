import { useState, type FormEvent } from 'react';
import type { FederationStatus } from '../../../shared/contract/index.js';
import { ErrorNote } from '../../components/ErrorNote.js';
import { useLocale, useT } from '../../i18n/index.js';
import { formatDateTime } from '../../i18n/format.js';
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
  const busy = useApp((s) => s.federationBusy);
  const syncNow = useApp((s) => s.syncNow);
  const resetBreaker = useApp((s) => s.resetBreaker);
  const retryDeadLetter = useApp((s) => s.retryDeadLetter);
  const url = fed.centralUrl ?? '';
  const breaker =
    fed.breaker.state === 'open'
      ? t('fed.breaker.open', { when: fed.breaker.retryAt ? formatDateTime(fed.breaker.retryAt, locale) : '—' })
      : t(`fed.breaker.${fed.breaker.state}`);
  return (
    <>
      <p className={fed.online ? 'tone-ok' : 'tone-warn'} data-testid="fed-online" data-online={fed.online}>
        {t(fed.online ? 'fed.online' : 'fed.offline', { url })}
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
        <div className="row">
          <dt>{t('fed.lastContact')}</dt>
          <dd data-testid="fed-last-contact">{fed.lastContactAt ? formatDateTime(fed.lastContactAt, locale) : t('fed.never')}</dd>
        </div>
        <div className="row">
          <dt>{t('fed.backlog')}</dt>
          <dd data-testid="fed-backlog">{fed.backlog.toLocaleString(locale)}</dd>
        </div>
        <div className="row">
          <dt>{t('fed.breaker')}</dt>
          <dd data-testid="fed-breaker" data-state={fed.breaker.state}>
            {breaker}
          </dd>
        </div>
        {fed.fiscalNumbersLeft !== null ? (
          <div className="row">
            <dt>{t('fed.fiscalLeft')}</dt>
            <dd data-testid="fed-fiscal-left">{fed.fiscalNumbersLeft.toLocaleString(locale)}</dd>
          </div>
        ) : null}
        <ClockSkew fed={fed} />
      </dl>
      {fed.lastError && !fed.online ? <p className="muted">{t('fed.lastError', { error: fed.lastError })}</p> : null}
      <div className="actions">
        <button type="button" disabled={busy} onClick={() => void syncNow()} data-testid="fed-sync">
          {t('fed.syncNow')}
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
