import { useEffect, useState } from 'react';
import type { Product } from '../../../shared/contract/index.js';
import { ErrorNote } from '../../components/ErrorNote.js';
import { useLocale, useT } from '../../i18n/index.js';
import { useApp } from '../../state/context.js';
import { PriceDialog } from './PriceDialog.js';
import { ProductCreateDialog, ProductEditDialog } from './ProductDialogs.js';
import { ProductTable } from './ProductTable.js';

type Open = { kind: 'create' } | { kind: 'edit'; product: Product } | { kind: 'price'; product: Product } | null;

const SEARCH_DELAY_MS = 250;

function SearchBox() {
  const t = useT();
  const current = useApp((s) => s.productSearch);
  const searchProducts = useApp((s) => s.searchProducts);
  const [text, setText] = useState(current);
  // Typing a barcode fires a key per digit; one request once the person pauses is enough.
  useEffect(() => {
    if (text === current) return undefined;
    const timer = setTimeout(() => void searchProducts(text), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text, current, searchProducts]);
  return (
    <input type="search" className="search" value={text} onChange={(e) => setText(e.target.value)}
      placeholder={t('products.search')} aria-label={t('products.search')} data-testid="product-search" />
  );
}

export function ProductsScreen() {
  const t = useT();
  const locale = useLocale();
  const loadProducts = useApp((s) => s.loadProducts);
  const loadMore = useApp((s) => s.loadMoreProducts);
  const hasMore = useApp((s) => s.productsNext !== null);
  const loading = useApp((s) => s.productsLoading);
  const error = useApp((s) => s.productsError);
  const [open, setOpen] = useState<Open>(null);
  const close = () => setOpen(null);

  // Re-read on every visit: the node may have changed while another screen was shown and pushes were ignored.
  useEffect(() => {
    void loadProducts();
  }, [loadProducts]);

  return (
    <section className="card wide" data-testid="products-screen">
      <div className="toolbar">
        <h1>{t('products.title')}</h1>
        <SearchBox />
        <span className="spacer" />
        {loading ? <span className="muted" role="status">{t('products.loading')}</span> : null}
        <button type="button" className="primary" onClick={() => setOpen({ kind: 'create' })} data-testid="product-add">
          {t('products.add')}
        </button>
      </div>
      <ErrorNote error={error} testId="products" />
      <ProductTable locale={locale} onEdit={(product) => setOpen({ kind: 'edit', product })}
        onChangePrice={(product) => setOpen({ kind: 'price', product })} />
      {hasMore ? (
        <button type="button" onClick={() => void loadMore()} disabled={loading} data-testid="products-more">
          {t('products.more')}
        </button>
      ) : null}
      {open?.kind === 'create' ? <ProductCreateDialog onClose={close} /> : null}
      {open?.kind === 'edit' ? <ProductEditDialog product={open.product} onClose={close} /> : null}
      {open?.kind === 'price' ? <PriceDialog product={open.product} onClose={close} /> : null}
    </section>
  );
}
