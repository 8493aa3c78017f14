import { useEffect, useMemo, useState } from 'react';
import { auditKinds, type AuditEntry, type AuditKind, type StaffRole } from '../../../shared/contract/index.js';
import { ErrorNote } from '../../components/ErrorNote.js';
import { useLocale, useT, type Translate } from '../../i18n/index.js';
import { useApp } from '../../state/context.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const isoDay = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 10);

/** A line a person reads for each entry: the few fields that say what happened, in words. */
function summary(entry: AuditEntry, t: Translate, time: (iso: string) => string): string {
  const d = entry.details as Record<string, unknown>;
  const by = d.by === 'pin' ? t('people.pin') : d.by === 'password' ? t('people.password') : null;
  switch (entry.kind) {
    case 'signInFailed':
    case 'approvalRefused':
      return t('audit.d.failed', { n: String(d.failures ?? '?'), by: by ?? '—' }) + (d.action ? ` · ${String(d.action)}` : '');
    case 'lockedOut':
      return t('audit.d.locked', { until: typeof d.lockedUntil === 'string' ? time(d.lockedUntil) : '—' });
    case 'userCreated':
      return `${String(d.name)} · ${t(`role.${d.role as StaffRole}`)}`;
    case 'userUpdated': {
      const c = (d.changes ?? {}) as { name?: string; role?: StaffRole; active?: boolean };
      return [
        c.name ? `${t('users.name')}: ${c.name}` : '',
        c.role ? `${t('users.role')}: ${t(`role.${c.role}`)}` : '',
        c.active === false ? t('users.deactivate') : c.active === true ? t('users.reactivate') : '',
      ].filter(Boolean).join(' · ');
    }
    default:
      return ['reason', 'amount', 'price', 'previousPrice', 'key', 'name']
        .filter((k) => d[k] !== undefined && d[k] !== null && typeof d[k] !== 'object')
        .map((k) => `${k}: ${String(d[k])}`)
        .join(' · ');
  }
}

/** The audit log for managers: sensitive actions and failed sign-ins, by date, person and kind. */
export function AuditScreen() {
  const t = useT();
  const locale = useLocale();
  const items = useApp((s) => s.audit);
  const next = useApp((s) => s.auditNext);
  const error = useApp((s) => s.auditError);
  const load = useApp((s) => s.loadAudit);
  const people = useApp((s) => s.directory?.users ?? []);
  const [from, setFrom] = useState(() => isoDay(Date.now() - 7 * DAY_MS));
  const [to, setTo] = useState(() => isoDay(Date.now()));
  const [kind, setKind] = useState<AuditKind | ''>('');
  const [userId, setUserId] = useState('');
  const filter = useMemo(
    () => ({
      from: new Date(`${from}T00:00:00`).toISOString(),
      to: new Date(new Date(`${to}T00:00:00`).getTime() + DAY_MS - 1).toISOString(),
      ...(kind ? { kind } : {}),
      ...(userId ? { userId } : {}),
    }),
    [from, to, kind, userId],
  );
  useEffect(() => {
    if (from && to) void load(filter);
  }, [filter, from, to, load]);
  const when = (at: string) => new Date(at).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'medium' });
  return (
    <section className="card wide" data-testid="audit-screen">
      <h1>{t('audit.title')}</h1>
      <div className="toolbar">
        <label className="field">
          <span className="field-label">{t('audit.from')}</span>
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} data-testid="audit-from" />
        </label>
        <label className="field">
          <span className="field-label">{t('audit.to')}</span>
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} data-testid="audit-to" />
        </label>
        <label className="field">
          <span className="field-label">{t('audit.kind')}</span>
          <select value={kind} onChange={(e) => setKind(e.target.value as AuditKind | '')} data-testid="audit-kind">
            <option value="">{t('audit.allKinds')}</option>
            {auditKinds.map((k) => (
              <option key={k} value={k}>
                {t(`audit.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field-label">{t('audit.person')}</span>
          <select value={userId} onChange={(e) => setUserId(e.target.value)} data-testid="audit-person">
            <option value="">{t('audit.everyone')}</option>
            {people.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNote error={error} testId="audit" />
      <table className="table" data-testid="audit-table">
        <thead>
          <tr>
            <th>{t('audit.when')}</th>
            <th>{t('audit.what')}</th>
            <th>{t('audit.who')}</th>
            <th>{t('audit.approvedBy')}</th>
            <th>{t('audit.details')}</th>
          </tr>
        </thead>
        <tbody>
          {items.map((e) => (
            <tr key={e.id} data-testid="audit-row" data-kind={e.kind}>
              <td>{when(e.at)}</td>
              <td>{t(`audit.kind.${e.kind}`)}</td>
              <td>{e.userName ?? (e.userId && e.userId.length < 20 ? t('audit.installation') : e.userId ?? '—')}</td>
              <td>{e.approvedByName ?? '—'}</td>
              <td className="small">{summary(e, t, (iso) => new Date(iso).toLocaleTimeString(locale, { hourCycle: 'h23' }))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.length === 0 && !error ? <p className="empty">{t('audit.empty')}</p> : null}
      {next ? (
        <button type="button" onClick={() => void load(filter, true)} data-testid="audit-more">
          {t('audit.more')}
        </button>
      ) : null}
    </section>
  );
}
