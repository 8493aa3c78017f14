import type { Product } from '../../../shared/contract/index.js';
import { formatDateTime, formatMoney } from '../../i18n/format.js';
import { useT } from '../../i18n/index.js';
import { useApp } from '../../state/context.js';

interface ProductTableProps {
  locale: string;
  onEdit(product: Product): void;
  onChangePrice(product: Product): void;
}

export function ProductTable({ locale, onEdit, onChangePrice }: ProductTableProps) {
  const t = useT();
  const products = useApp((s) => s.products);
  const loaded = useApp((s) => s.productsLoaded);
  const searching = useApp((s) => s.productSearch.trim() !== '');

  if (loaded && products.length === 0) {
    return (
      <p className="empty" data-testid="products-empty">
        {searching ? t('products.emptySearch') : t('products.empty')}
      </p>
    );
  }
  return (
    <table className="table" data-testid="product-table">
      <thead>
        <tr>
          <th>{t('col.name')}</th>
          <th>{t('col.barcodes')}</th>
          <th className="num">{t('col.price')}</th>
          <th>{t('col.unit')}</th>
          <th>{t('col.updated')}</th>
          <th>
            <span className="visually-hidden">{t('col.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {products.map((p) => (
          <tr key={p.id} data-testid="product-row" data-product-id={p.id}>
            <td data-testid="product-row-name">
              {p.name}
              {p.sku ? <span className="muted small"> · {p.sku}</span> : null}
            </td>
            <td data-testid="product-row-barcodes" className="mono">{p.barcodes.join(', ')}</td>
            <td data-testid="product-row-price" className="num">
              {formatMoney({ amount: p.price, currency: p.currency }, locale)}
            </td>
            <td data-testid="product-row-unit">{t(p.unit === 'kg' ? 'unit.kg' : 'unit.unit')}</td>
            <td data-testid="product-row-updated">{formatDateTime(p.updatedAt, locale)}</td>
            <td className="row-actions">
              <button type="button" onClick={() => onEdit(p)} data-testid="product-edit">
                {t('action.edit')}
              </button>
              <button type="button" onClick={() => onChangePrice(p)} data-testid="product-change-price">
                {t('action.changePrice')}
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

