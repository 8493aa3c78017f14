import { useT } from '../i18n/index.js';
import type { MessageKey } from '../i18n/index.js';
import { useApp } from '../state/context.js';
import { keyLabel, keyOf, type CheckoutAction } from './keys.js';

interface Props {
  onAction(action: CheckoutAction): void;
  canAct: { lines: boolean; selected: boolean; parked: number };
}

const labels: Record<CheckoutAction, MessageKey> = {
  pay: 'pos.key.pay',
  search: 'pos.key.search',
  quantity: 'pos.key.quantity',
  price: 'pos.key.price',
  discount: 'pos.key.discount',
  remove: 'pos.key.remove',
  park: 'pos.key.park',
  resume: 'pos.key.resume',
  abandon: 'pos.key.abandon',
};

/** Every function key as a large button with its key printed on it: touch and keyboard reach the same actions. */
export function FunctionKeys({ onAction, canAct }: Props) {
  const t = useT();
  const lang = useApp((s) => s.lang);
  const enabled: Record<CheckoutAction, boolean> = {
    pay: canAct.lines,
    search: true,
    quantity: canAct.selected,
    price: canAct.selected,
    discount: canAct.lines,
    remove: canAct.selected,
    park: canAct.lines,
    resume: canAct.parked > 0,
    abandon: canAct.lines,
  };
  const key = (action: CheckoutAction, extra = '') => (
    <button key={action} type="button" className={`fkey ${extra}`} disabled={!enabled[action]} onClick={() => onAction(action)} data-testid={`key-${action}`}>
      <kbd>{keyLabel(keyOf(action), lang)}</kbd>
      <span>{t(labels[action], { n: canAct.parked })}</span>
    </button>
  );
  return (
    <div className="fkeys">
      {key('pay', 'fkey-pay primary')}
      {(['search', 'quantity', 'price', 'discount', 'remove', 'park', 'resume', 'abandon'] as const).map((a) => key(a))}
    </div>
  );
}
