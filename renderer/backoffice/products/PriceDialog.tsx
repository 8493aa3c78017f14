import { useState, type FormEvent } from 'react';
import type { Product } from '../../../shared/contract/index.js';
import { formatMoney, parseMoney } from '../../../shared/money.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorNote } from '../../components/ErrorNote.js';
import { Field } from '../../components/Field.js';
import { useSubmit } from '../../components/useSubmit.js';
import { useLocale, useT } from '../../i18n/index.js';
import { useApp } from '../../state/context.js';
import { FormActions } from './FormActions.js';
import { placeIssues } from './productForm.js';

export function PriceDialog({ product, onClose }: { product: Product; onClose(): void }) {
  const t = useT();
  const locale = useLocale();
  const changePrice = useApp((s) => s.changePrice);
  const [price, setPrice] = useState('');
  const [reason, setReason] = useState('');
  const [priceIssue, setPriceIssue] = useState<string | undefined>();
  const save = useSubmit(changePrice);
  const issues = save.error?.issues ?? [];
  const reasonIssue = issues.find((i) => i.path.endsWith('reason'))?.message;
  const { byField, rest } = placeIssues(issues.filter((i) => !i.path.endsWith('reason')));

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const minor = parseMoney(price, product.currency);
    if (minor === undefined) {
      setPriceIssue(t('form.badPrice'));
      return;
    }
    setPriceIssue(undefined);
    const trimmed = reason.trim();
    if (await save.submit({ id: product.id, price: minor, ...(trimmed ? { reason: trimmed } : {}) })) onClose();
  };
  const onRetry = async () => {
    if (await save.retry()) onClose();
  };

  return (
    <Dialog title={t('price.title', { name: product.name })} testId="price-dialog" onClose={onClose}>
      <form onSubmit={onSubmit} noValidate>
        <p className="muted">
          {t('price.current')}:{' '}
          <strong data-testid="price-current">{formatMoney({ amount: product.price, currency: product.currency }, locale)}</strong>
        </p>
        <Field label={t('price.new')} testId="price-new" issue={priceIssue ?? byField.price}>
          <input value={price} onChange={(e) => setPrice(e.target.value)} inputMode="decimal" autoFocus autoComplete="off"
            placeholder={t('form.pricePlaceholder')} data-testid="price-new" />
        </Field>
        <Field label={t('price.reason')} testId="price-reason" issue={reasonIssue}>
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={200} autoComplete="off"
            data-testid="price-reason" />
        </Field>
        <ErrorNote error={save.error} testId="price" extra={rest} onRetry={save.canRetry ? onRetry : undefined} />
        <FormActions testId="price" busy={save.busy} slow={save.slow} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
