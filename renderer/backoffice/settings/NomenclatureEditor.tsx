import { interpretScan, layoutProblem, makeScaleLabel, SCALE_PREFIXES, valueLength, type ScalePrefix } from '../../../shared/barcodes.js';
import { currencyDigits, formatMoney } from '../../../shared/money.js';
import { useLocale, useT } from '../../i18n/index.js';

const PREFIXES = SCALE_PREFIXES;

/** An example label for a prefix, and what the counter reads from it: the owner checks it against a real label. */
function example(p: ScalePrefix, currency: string, locale: string): string {
  if (layoutProblem(p)) return '—';
  const label = makeScaleLabel(p, '1'.padStart(p.itemCodeLength, '0'), 1234 % 10 ** valueLength(p));
  const scan = interpretScan(label, [p], { currencyDigits: currencyDigits(currency) });
  if (scan.kind !== 'scale') return label;
  const value = scan.by === 'weight'
    ? `${new Intl.NumberFormat(locale, { minimumFractionDigits: 3 }).format(scan.quantity / 1000)} kg`
    : formatMoney({ amount: scan.price, currency }, locale);
  return `${label} → ${scan.itemCode} · ${value}`;
}

interface Props {
  value: ScalePrefix[];
  currency: string;
  onChange(next: ScalePrefix[]): void;
}

/** One row per in-store prefix: what it holds, its layout, and an example read back. */
export function NomenclatureEditor({ value, currency, onChange }: Props) {
  const t = useT();
  const locale = useLocale();
  const set = (i: number, patch: Partial<ScalePrefix>) => onChange(value.map((p, k) => (k === i ? { ...p, ...patch } : p)));
  const free = PREFIXES.find((x) => !value.some((p) => p.prefix === x));
  return (
    <table className="table compact" data-testid="settings-nomenclature">
      <thead>
        <tr>
          <th>{t('settings.prefix')}</th>
          <th>{t('settings.kind')}</th>
          <th>{t('settings.itemCodeLength')}</th>
          <th>{t('settings.decimals')}</th>
          <th>{t('settings.priceCheckDigit')}</th>
          <th>{t('settings.example')}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {value.map((p, i) => (
          <tr key={i} data-testid="settings-prefix-row">
            <td>
              <select value={p.prefix} onChange={(e) => set(i, { prefix: e.target.value as ScalePrefix['prefix'] })} aria-label={t('settings.prefix')}>
                {PREFIXES.map((x) => <option key={x} value={x}>{x}</option>)}
              </select>
            </td>
            <td>
              <select value={p.kind} onChange={(e) => set(i, { kind: e.target.value as ScalePrefix['kind'] })} aria-label={t('settings.kind')}>
                <option value="weight">{t('settings.kind.weight')}</option>
                <option value="price">{t('settings.kind.price')}</option>
              </select>
            </td>
            <td>
              <select value={p.itemCodeLength} onChange={(e) => set(i, { itemCodeLength: Number(e.target.value) })} aria-label={t('settings.itemCodeLength')}>
                {[3, 4, 5, 6].map((n) => <option key={n} value={n}>{n}</option>)}
              </select>
            </td>
            <td>
              <select value={p.decimals} onChange={(e) => set(i, { decimals: Number(e.target.value) })} aria-label={t('settings.decimals')}>
                {[0, 1, 2, 3].map((n) => <option key={n} value={n}>{n}</option>)}
              </select>
            </td>
            <td>
              <input type="checkbox" checked={p.priceCheckDigit} onChange={(e) => set(i, { priceCheckDigit: e.target.checked })} aria-label={t('settings.priceCheckDigit')} />
            </td>
            <td className="mono small">{example(p, currency, locale)}</td>
            <td>
              <button type="button" onClick={() => onChange(value.filter((_, k) => k !== i))}>{t('settings.remove')}</button>
            </td>
          </tr>
        ))}
        {free ? (
          <tr>
            <td colSpan={7}>
              <button type="button" data-testid="settings-prefix-add"
                onClick={() => onChange([...value, { prefix: free, kind: 'weight', itemCodeLength: 5, decimals: 3, priceCheckDigit: false }])}>
                {t('settings.add')}
              </button>
            </td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}
