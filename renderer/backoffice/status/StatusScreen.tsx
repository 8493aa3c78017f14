import type { NodeStatus } from '../../../shared/contract/index.js';
import { ErrorNote } from '../../components/ErrorNote.js';
import { useNow } from '../../components/useNow.js';
import { useLocale, useT } from '../../i18n/index.js';
import { formatBytes, formatDuration } from '../../i18n/format.js';
import { useApp } from '../../state/context.js';

function Uptime({ status }: { status: NodeStatus }) {
  const t = useT();
  const statusAt = useApp((s) => s.statusAt);
  const now = useNow(500);
  // Pushes arrive every few seconds; between them the local clock keeps the counter moving.
  const seconds = status.uptimeSeconds + Math.max(0, (now - statusAt) / 1000);
  return <dd data-testid="status-uptime">{formatDuration(seconds, t)}</dd>;
}

export function StatusScreen() {
  const t = useT();
  const locale = useLocale();
  const status = useApp((s) => s.status);
  const error = useApp((s) => s.statusError);

  if (!status) {
    return (
      <section className="card">
        <p>{t('status.waiting')}</p>
        <ErrorNote error={error} testId="status" />
      </section>
    );
  }
  const row = (label: string, testId: string, value: string) => (
    <div className="row">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  );
  return (
    <section className="card" data-testid="status-screen">
      <h1>{t('status.title')}</h1>
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
      </dl>
      <ErrorNote error={error} testId="status" />
    </section>
  );
}
