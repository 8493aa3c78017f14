import { Field } from '../../components/Field.js';
import { useT } from '../../i18n/index.js';
import type { FormField, ProductFormValues } from './productForm.js';

interface ProductFieldsProps {
  values: ProductFormValues;
  onChange(values: ProductFormValues): void;
  issues: Partial<Record<FormField, string>>;
  /** The price is set only when creating; afterwards it changes through its own audited command. */
  withPrice: boolean;
}

export function ProductFields({ values, onChange, issues, withPrice }: ProductFieldsProps) {
  const t = useT();
  const text = (field: 'name' | 'price' | 'barcodes' | 'sku' | 'category') => ({
    value: values[field],
    onChange: (e: { target: { value: string } }) => onChange({ ...values, [field]: e.target.value }),
    'data-testid': `product-${field}`,
    'aria-invalid': issues[field] ? true : undefined,
  });
  return (
    <div className="fields">
      <Field label={t('form.name')} testId="product-name" issue={issues.name}>
        <input {...text('name')} autoFocus required maxLength={120} autoComplete="off" />
      </Field>
      {withPrice ? (
        <Field label={t('form.price')} testId="product-price" issue={issues.price}>
          <input {...text('price')} inputMode="decimal" placeholder={t('form.pricePlaceholder')} required autoComplete="off" />
        </Field>
      ) : null}
      <Field label={t('form.barcodes')} testId="product-barcodes" issue={issues.barcodes} hint={t('form.barcodesHint')}>
        <input {...text('barcodes')} autoComplete="off" />
      </Field>
      <div className="field-pair">
        <Field label={t('form.sku')} testId="product-sku" issue={issues.sku}>
          <input {...text('sku')} maxLength={40} autoComplete="off" />
        </Field>
        <Field label={t('form.category')} testId="product-category" issue={issues.category}>
          <input {...text('category')} maxLength={60} autoComplete="off" />
        </Field>
      </div>
      <div className="field-pair">
        <Field label={t('form.unit')} testId="product-unit" issue={issues.unit}>
          <select
            value={values.unit}
            onChange={(e) => onChange({ ...values, unit: e.target.value === 'kg' ? 'kg' : 'unit' })}
            data-testid="product-unit"
          >
            <option value="unit">{t('unit.unit')}</option>
            <option value="kg">{t('unit.kg')}</option>
          </select>
        </Field>
        <label className="check">
          <input
            type="checkbox"
            checked={values.trackStock}
            onChange={(e) => onChange({ ...values, trackStock: e.target.checked })}
            data-testid="product-track-stock"
          />
          {t('form.trackStock')}
        </label>
      </div>
    </div>
  );
}
