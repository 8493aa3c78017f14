/**
 * The till's messages (cash domain), Spanish first; joined into the catalog of shared/messages.ts. Kept in their own
 * file so the domains that grow at once do not edit one list.
 */
type Entry<P> = { es: (p: P) => string; en: (p: P) => string };
const entry = <P = void>(e: Entry<P>): Entry<P> => e;

export const cashMessages = {
  tillAlreadyOpen: entry<{ openedAt: string; cashierId: string }>({
    es: ({ openedAt }) => `Esta caja ya está abierta (desde ${openedAt}). Ciérrela con el arqueo antes de abrir otra.`,
    en: ({ openedAt }) => `This till is already open (since ${openedAt}). Close it with a count before opening another.`,
  }),
  tillNotOpen: entry({
    es: () => 'La caja de esta terminal está cerrada. Ábrala con el fondo inicial para seguir.',
    en: () => "This terminal's till is closed. Open it with a float to go on.",
  }),
  tillSessionClosed: entry<{ zNumber: number | null }>({
    es: ({ zNumber }) => `Esa sesión de caja ya se cerró${zNumber ? ` (Z n.º ${zNumber})` : ''}; no admite más ventas ni movimientos. Abra la caja de nuevo.`,
    en: ({ zNumber }) => `That till session is already closed${zNumber ? ` (Z no. ${zNumber})` : ''}; it takes no more sales or moves. Open the till again.`,
  }),
  tillSessionNotHere: entry({
    es: () => 'Esa sesión de caja es de otra terminal; use la caja abierta en esta.',
    en: () => 'That till session belongs to another terminal; use the till open on this one.',
  }),
  tillSessionNotFound: entry({
    es: () => 'No existe esa sesión de caja.',
    en: () => 'That till session does not exist.',
  }),
  unknownDenomination: entry<{ denomination: number; currency: string }>({
    es: ({ denomination, currency }) => `${denomination} no es un billete ni una moneda de ${currency} en esta tienda; revise el conteo (los valores van en centavos).`,
    en: ({ denomination, currency }) => `${denomination} is not a note or coin of ${currency} in this store; check the count (values are in cents).`,
  }),
  zNotFound: entry({
    es: () => 'No hay un cierre Z con ese número o esa sesión en esta terminal.',
    en: () => 'There is no Z with that number or session on this terminal.',
  }),
  zNotYet: entry({
    es: () => 'Esa sesión de caja sigue abierta: no tiene Z todavía. Use el informe X.',
    en: () => 'That till session is still open: it has no Z yet. Use the X report.',
  }),
};
