import type { NodeStatus } from '../../../shared/contract/index.js';
import { ErrorNote } from '../../components/ErrorNote.js';
import { useNow } from '../../components/useNow.js';
import { useLocale, useT } from '../../i18n/index.js';
import { formatBytes, formatDuration } from '../../i18n/format.js';
import { useApp } from '../../state/context.js';
import { AnomaliesPanel } from './AnomaliesPanel.js';
import { FederationPanel } from './FederationPanel.js';
import { homeOf } from './home.js';

function Uptime({ status }: { status: NodeStatus }) {
  const t = useT();
  const statusAt = useApp((s) => s.statusAt);
  const now = useNow(500);
  // Pushes arrive every few seconds; between them the local clock keeps the counter moving.
  const seconds = status.uptimeSeconds + Math.max(0, (now - statusAt) / 1000);
  return <dd data-testid="status-uptime">{formatDuration(seconds, t)}</dd>;
}

/** The identifiers and sizes support asks for: one click away, not in the owner's face. */
function TechnicalDetails({ status }: { status: NodeStatus }) {
  const t = useT();
  const locale = useLocale();
  const row = (label: string, testId: string, value: string) => (
    <div className="row">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
  return (
    <details className="details" data-testid="status-details">
      <summary>{t('home.details')}</summary>
      <h2 className="visually-hidden">{t('status.title')}</h2>
      <dl className="facts">
        {row(t('status.version'), 'status-version', status.version)}
        {row(t('status.role'), 'status-role', t(`status.role.${status.role}`))}
        {row(t('status.deviceId'), 'status-device', status.deviceId)}
        {row(t('status.storeId'), 'status-store', status.storeId)}
        {row(t('status.dataDir'), 'status-datadir', status.dataDir)}
        {row(t('status.dbSize'), 'status-dbsize', formatBytes(status.databaseBytes, locale))}
        <div className="row">
          <dt>{t('status.uptime')}</dt>
          <Uptime status={status} />
        </div>
        {row(t('status.engine'), 'status-engine', status.engine)}
        {row(t('status.parked'), 'status-parked', String(status.remote.parkedEvents))}
        {row(t('status.clockSkew'), 'status-skew', status.remote.maxClockSkewMs === null ? '—' : t('status.clockSkewSeconds', { s: Math.round(status.remote.maxClockSkewMs / 1000) }))}
      </dl>
    </details>
  );
}

export function StatusScreen() {
  const t = useT();
  const locale = useLocale();
  const status = useApp((s) => s.status);
  const error = useApp((s) => s.statusError);
  const now = useNow(60_000);

  if (!status) {
    return (
      <section className="card">
        <p>{t('status.waiting')}</p>
        <ErrorNote error={error} testId="status" />
      </section>
    );
  }
  const home = homeOf(status, t, locale, now);
  return (
    <>
      <section className="card" data-testid="status-screen">
        <h1>{t('home.title')}</h1>
        <p className={`verdict tone-${home.verdict.tone}`} data-testid="home-verdict" data-tone={home.verdict.tone}>
          {home.verdict.text}
        </p>
        <ul className="checks">
          {home.lines.map((line) => (
            <li key={line.id} className={`tone-${line.tone}`} data-testid={`home-${line.id}`} data-tone={line.tone}>
              {line.text}
            </li>
          ))}
        </ul>
        <TechnicalDetails status={status} />
        <ErrorNote error={error} testId="status" />
      </section>
      <AnomaliesPanel />
      <FederationPanel />
    </>
  );
}
