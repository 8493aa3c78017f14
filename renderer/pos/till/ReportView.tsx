import type { CashReport } from '../../../shared/contract/index.js';
import { formatMoney } from '../../i18n/format.js';
import { useLocale, useT, type MessageKey } from '../../i18n/index.js';

/** An X or a Z: per tender what was expected, and on a Z what was counted and the difference. */
export function ReportView({ report }: { report: CashReport }) {
  const t = useT();
  const locale = useLocale();
  const money = (amount: number | null) => (amount === null ? '—' : formatMoney({ amount, currency: report.currency }, locale));
  const title = report.kind === 'Z' ? t('till.report.Z', { n: report.session.zNumber ?? 0 }) : t('till.report.X');
  return (
    <section className="report" data-testid={`report-${report.kind}`}>
      <h2>{title}</h2>
      <table className="table">
        <thead>
          <tr>
            <th>{t('till.report.kind')}</th>
            <th className="num">{t('till.report.sales')}</th>
            <th className="num">{t('till.report.refunds')}</th>
            <th className="num">{t('till.report.expected')}</th>
            {report.kind === 'Z' ? <th className="num">{t('till.report.counted')}</th> : null}
            {report.kind === 'Z' ? <th className="num">{t('till.report.overShort')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {report.tenders.map((x) => (
            <tr key={x.kind} data-testid={`report-row-${x.kind}`}>
              <td>{t(`till.${x.kind}` as MessageKey)}</td>
              <td className="num">{money(x.sales)}</td>
              <td className="num">{money(x.refunds)}</td>
              <td className="num">{money(x.expected)}</td>
              {report.kind === 'Z' ? <td className="num">{money(x.counted)}</td> : null}
              {report.kind === 'Z' ? <td className={`num ${x.overShort && x.overShort < 0 ? 'bad' : ''}`} data-testid={`over-short-${x.kind}`}>{money(x.overShort)}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="report-net">{t('till.report.net')}: <strong data-testid="report-net">{money(report.totals.net)}</strong></p>
    </section>
  );
}
