/** Quantities as the cashier reads and types them: units as whole numbers, kilograms with up to three decimals. */

const KG = /^(\d{1,7})(?:[.,](\d{0,3}))?$/;
const UNITS = /^\d{1,7}$/;

/** Thousandths from what was typed ("2", "1,250" kg), or undefined when it is not a quantity above zero. */
export function parseQuantity(text: string, unit: 'unit' | 'kg'): number | undefined {
  const s = text.trim();
  if (unit === 'unit') {
    if (!UNITS.test(s)) return undefined;
    const n = Number(s) * 1000;
    return n > 0 ? n : undefined;
  }
  const m = KG.exec(s);
  if (!m) return undefined;
  const n = Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
  return n > 0 ? n : undefined;
}

export function formatQuantity(thousandths: number, unit: 'unit' | 'kg', locale: string): string {
  if (unit === 'kg') return `${new Intl.NumberFormat(locale, { minimumFractionDigits: 3, maximumFractionDigits: 3 }).format(thousandths / 1000)} kg`;
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(thousandths / 1000);
}
