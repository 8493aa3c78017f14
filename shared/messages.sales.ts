import { formatMoney } from './money.js';

/**
 * The counter's sales messages (complete, void, refund, stock, fiscal numbers), Spanish first; joined into
 * `userMessages` (shared/messages.ts) by one spread, so each domain keeps its own list. Amounts arrive as minor
 * units with their currency and are formatted in the reader's language.
 */
type Money = { amount: number; currency: string };
const es = (m: Money) => formatMoney(m, 'es-AR');
const en = (m: Money) => formatMoney(m, 'en-US');
const entry = <P>(e: { es: (p: P) => string; en: (p: P) => string }) => e;

export const salesMessages = {
  saleProductNotFound: entry<{ line: number }>({
    es: ({ line }) => `El producto de la línea ${line} no existe (puede que lo hayan quitado). Quite la línea y vuelva a escanearlo.`,
    en: ({ line }) => `The product on line ${line} does not exist (it may have been removed). Remove the line and scan it again.`,
  }),
  discountOverLine: entry<{ line: number; gross: Money }>({
    es: ({ line, gross }) => `El descuento de la línea ${line} supera su importe (${es(gross)}).`,
    en: ({ line, gross }) => `The discount on line ${line} is more than the line's amount (${en(gross)}).`,
  }),
  discountOverTicket: entry<{ subtotal: Money }>({
    es: ({ subtotal }) => `El descuento del ticket supera su subtotal (${es(subtotal)}).`,
    en: ({ subtotal }) => `The ticket discount is more than its subtotal (${en(subtotal)}).`,
  }),
  tenderShort: entry<{ due: Money; paid: Money }>({
    es: ({ due, paid }) => `Falta dinero: el total a cobrar es ${es(due)} y los pagos suman ${es(paid)}.`,
    en: ({ due, paid }) => `Payment is short: ${en(due)} is due and the tenders add up to ${en(paid)}.`,
  }),
  overpaidNonCash: entry<{ total: Money; nonCash: Money }>({
    es: ({ total, nonCash }) => `Tarjeta y transferencia suman ${es(nonCash)}, más que el total (${es(total)}); solo el efectivo da vuelto.`,
    en: ({ total, nonCash }) => `Card and transfer add up to ${en(nonCash)}, more than the total (${en(total)}); only cash gives change.`,
  }),
  cashNotNeeded: entry<void>({
    es: () => 'Los otros medios ya cubren el total: quite el pago en efectivo.',
    en: () => 'The other tenders already cover the total: remove the cash tender.',
  }),
  oneCashTender: entry<void>({
    es: () => 'Ingrese el efectivo recibido en un solo pago.',
    en: () => 'Enter the cash received as one tender.',
  }),
  amountTooLarge: entry<{ line: number }>({
    es: ({ line }) => `El importe de la línea ${line} es demasiado grande: revise la cantidad y el precio.`,
    en: ({ line }) => `The amount on line ${line} is too large: check the quantity and the price.`,
  }),
  stockBlocked: entry<{ names: string }>({
    es: ({ names }) => `Sin conexión y sin stock de: ${names}. Quite esas líneas o espere a que vuelva la conexión.`,
    en: ({ names }) => `Offline and out of stock: ${names}. Remove those lines or wait for the connection to return.`,
  }),
  noFiscalNumbers: entry<{ series: string }>({
    es: ({ series }) => `No quedan números fiscales de la serie ${series}: conecte la terminal con la central para recibir más.`,
    en: ({ series }) => `No fiscal numbers left in series ${series}: connect to the central to receive more.`,
  }),
  saleNotFound: entry<void>({
    es: () => 'No se encontró esa venta en esta terminal.',
    en: () => 'That sale was not found on this terminal.',
  }),
  refundNotFound: entry<void>({
    es: () => 'No hay en esta terminal una venta ni una devolución con ese identificador.',
    en: () => 'There is no sale or refund with that id on this terminal.',
  }),
  saleAlreadyVoided: entry<void>({
    es: () => 'Esa venta ya fue anulada.',
    en: () => 'That sale has already been voided.',
  }),
  voidOtherSession: entry<void>({
    es: () => 'Solo se anulan ventas de la caja abierta; para una venta anterior haga una devolución.',
    en: () => 'Only sales of the open till session can be voided; for an earlier sale make a refund.',
  }),
  voidHasRefunds: entry<void>({
    es: () => 'Esa venta ya tiene devoluciones: devuelva lo que queda en lugar de anularla.',
    en: () => 'That sale already has refunds: refund what is left instead of voiding it.',
  }),
  refundLineUnknown: entry<{ line: number }>({
    es: ({ line }) => `La línea ${line} de la devolución no es de esa venta.`,
    en: ({ line }) => `Refund line ${line} is not a line of that sale.`,
  }),
  refundOverSold: entry<{ name: string; left: number; asked: number }>({
    es: ({ name, left, asked }) => `De “${name}” quedan ${left / 1000} por devolver y se piden ${asked / 1000}.`,
    en: ({ name, left, asked }) => `Only ${left / 1000} of “${name}” is left to refund; ${asked / 1000} was asked.`,
  }),
};
