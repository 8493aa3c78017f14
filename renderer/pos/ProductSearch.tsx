import { forwardRef, useEffect, useState, type KeyboardEvent } from 'react';
import type { Product } from '../../shared/contract/index.js';
import { isAbortError } from '../api/client.js';
import { formatMoney } from '../i18n/format.js';
import { useLocale, useT } from '../i18n/index.js';
import { useApp } from '../state/context.js';

const DEBOUNCE_MS = 120;

/** Search as you type (F2): arrows choose, Enter adds the chosen product, Escape clears. */
export const ProductSearch = forwardRef<HTMLInputElement, { currency: string }>(function ProductSearch({ currency }, ref) {
  const t = useT();
  const locale = useLocale();
  const findProducts = useApp((s) => s.findProducts);
  const addToTicket = useApp((s) => s.addToTicket);
  const [text, setText] = useState('');
  const [results, setResults] = useState<Product[] | null>(null);
  const [active, setActive] = useState(0);

  useEffect(() => {
    const query = text.trim();
    if (query === '') {
      setResults(null);
      return undefined;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      findProducts(query, controller.signal).then(
        (items) => {
          setResults(items);
          setActive(0);
        },
        (e: unknown) => {
          if (!isAbortError(e)) setResults([]);
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [text, findProducts]);

  const choose = (product: Product | undefined) => {
    if (!product) return;
    addToTicket(product);
    setText('');
    setResults(null);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      e.stopPropagation();
      const n = results?.length ?? 0;
      if (n > 0) setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : n - 1)) % n);
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(results?.[active]);
    } else if (e.key === 'Escape') {
      setText('');
      setResults(null);
      (e.target as HTMLInputElement).blur();
    }
  };

  return (
    <div className="search-box">
      <label className="visually-hidden" htmlFor="pos-search">{t('pos.search')}</label>
      <input id="pos-search" ref={ref} className="pos-search" data-testid="pos-search" value={text} autoComplete="off"
        placeholder={`${t('pos.search')} · ${t('pos.searchPlaceholder')}`} onChange={(e) => setText(e.target.value)} onKeyDown={onKeyDown} />
      {results ? (
        <ul className="search-results" role="listbox" data-testid="search-results">
          {results.length === 0 ? <li className="muted">{t('pos.searchNone')}</li> : null}
          {results.map((p, i) => (
            <li key={p.id} role="option" aria-selected={i === active} className={i === active ? 'active' : ''} data-testid="search-result"
              onMouseDown={(e) => {
                e.preventDefault();
                choose(p);
              }}>
              <span>{p.name}</span>
              <span className="num">{formatMoney({ amount: p.price, currency }, locale)}{p.unit === 'kg' ? ' /kg' : ''}</span>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
});
