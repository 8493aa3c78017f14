/**
 * The checkout's function keys, shown on screen with their key (keyboard first; every one is also a large button).
 * F2 search, F4 quantity, F7 price (supervisor's approval for a cashier), F8 discount, Supr remove line, F9 void the ticket, F10 pay, F11 tickets on hold, F12 put
 * on hold; ↑/↓ choose the line the keys act on. F1, F3, F5 and F6 stay free: F5 reloads the page, which is harmless
 * (the ticket is restored) but not an action to offer.
 */
export const checkoutKeys = {
  F2: 'search',
  F4: 'quantity',
  F7: 'price',
  F8: 'discount',
  Delete: 'remove',
  F9: 'abandon',
  F10: 'pay',
  F11: 'resume',
  F12: 'park',
} as const;

export type CheckoutAction = (typeof checkoutKeys)[keyof typeof checkoutKeys];

export const keyOf = (action: CheckoutAction): string =>
  (Object.keys(checkoutKeys) as (keyof typeof checkoutKeys)[]).find((k) => checkoutKeys[k] === action)!;

export const actionOf = (key: string): CheckoutAction | undefined =>
  Object.hasOwn(checkoutKeys, key) ? checkoutKeys[key as keyof typeof checkoutKeys] : undefined;

/** How a key is written on its button: "Supr" is what Spanish keyboards print on Delete. */
export const keyLabel = (key: string, lang: string): string => (key === 'Delete' ? (lang === 'es' ? 'Supr' : 'Del') : key);
