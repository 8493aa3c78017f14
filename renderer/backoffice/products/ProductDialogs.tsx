import { useState, type FormEvent } from 'react';
import type { Product } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';
import { Dialog } from '../../components/Dialog.js';
import { ErrorNote } from '../../components/ErrorNote.js';
import { useSubmit } from '../../components/useSubmit.js';
import { useT } from '../../i18n/index.js';
import { useApp } from '../../state/context.js';
import { FormActions } from './FormActions.js';
import { ProductFields } from './ProductFields.js';
import {
  emptyProductForm,
  FALLBACK_CURRENCY,
  formFromProduct,
  placeIssues,
  toCreateInput,
  toPatch,
  type ProductFormValues,
} from './productForm.js';

export function ProductCreateDialog({ onClose }: { onClose(): void }) {
  const t = useT();
  const createProduct = useApp((s) => s.createProduct);
  const currency = useApp((s) => s.status?.currency ?? FALLBACK_CURRENCY);
  const [values, setValues] = useState<ProductFormValues>(emptyProductForm);
  const [priceIssue, setPriceIssue] = useState<string | undefined>();
  const save = useSubmit(createProduct);
  const { byField, rest } = placeIssues(save.error?.issues);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = toCreateInput(values, currency);
    if (!parsed.ok) {
      setPriceIssue(t('form.badPrice'));
      return;
    }
    setPriceIssue(undefined);
    if (await save.submit(parsed.input)) onClose();
  };
  const onRetry = async () => {
    if (await save.retry()) onClose();
  };

  return (
    <Dialog title={t('form.addTitle')} testId="product-dialog" onClose={onClose}>
      <form onSubmit={onSubmit} noValidate>
        <ProductFields values={values} onChange={setValues} issues={{ ...byField, price: priceIssue ?? byField.price }} withPrice />
        <ErrorNote error={save.error} testId="product" extra={rest} onRetry={save.canRetry ? onRetry : undefined} />
        <FormActions testId="product" busy={save.busy} slow={save.slow} onCancel={onClose} />
      </form>
    </Dialog>
  );
}

export function ProductEditDialog({ product, onClose }: { product: Product; onClose(): void }) {
  const t = useT();
  const updateProduct = useApp((s) => s.updateProduct);
  const [values, setValues] = useState<ProductFormValues>(() => formFromProduct(product));
  const save = useSubmit(updateProduct);
  const { byField, rest } = placeIssues(save.error?.issues);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    const patch = toPatch(product, values);
    if (!patch) {
      save.fail(new AppError('ValidationError', t('form.nothingChanged')));
      return;
    }
    if (await save.submit({ id: product.id, patch })) onClose();
  };
  const onRetry = async () => {
    if (await save.retry()) onClose();
  };

  return (
    <Dialog title={t('form.editTitle')} testId="product-dialog" onClose={onClose}>
      <form onSubmit={onSubmit} noValidate>
        <ProductFields values={values} onChange={setValues} issues={byField} withPrice={false} />
        <ErrorNote error={save.error} testId="product" extra={rest} onRetry={save.canRetry ? onRetry : undefined} />
        <FormActions testId="product" busy={save.busy} slow={save.slow} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
