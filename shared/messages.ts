import { salesMessages } from './messages.sales.js';
/**
 * Error messages a cashier or an owner reads, in Spanish and English (Spanish first). The node throws them by key
 * (`AppError.t`), and the API answers in the language the caller asks for (Accept-Language; the renderer sends the
 * language of its screens). Messages for developers (protocol misuse) stay in English.
 */
import { cashMessages } from './messages.cash.js';
import { fieldLabel, fieldMessages, num } from './messages.fields.js';

export type Locale = 'es' | 'en';

type Params = Record<string, unknown>;
type Entry<P extends Params | void> = { es: (p: P) => string; en: (p: P) => string };

const entry = <P extends Params | void = void>(e: Entry<P>): Entry<P> => e;

export type FieldMessageKey = keyof typeof fieldMessages;

export const isFieldMessageKey = (value: unknown): value is FieldMessageKey =>
  typeof value === 'string' && Object.hasOwn(fieldMessages, value);

type InvalidInput = { path: string; key: FieldMessageKey; params?: unknown };

const invalidDetail = (locale: Locale, { path, key, params }: InvalidInput): string =>
  `${path ? `${fieldLabel(locale, path)}: ` : ''}${renderMessage(locale, key, params)}`;

export const userMessages = {
  ...fieldMessages,
  ...salesMessages,
  ...cashMessages,
  productNotFound: entry({
    es: () => 'Ese producto no existe (puede que lo hayan quitado).',
    en: () => 'That product does not exist (it may have been removed).',
  }),
  barcodeNotFound: entry<{ barcode: string }>({
    es: ({ barcode }) => `Ningún producto tiene el código de barras ${barcode}.`,
    en: ({ barcode }) => `No product has the barcode ${barcode}.`,
  }),
  barcodeTaken: entry<{ barcode: string; owner: string }>({
    es: ({ barcode, owner }) => `El código de barras ${barcode} ya es de “${owner}”. Quítelo de ese producto primero o use otro.`,
    en: ({ barcode, owner }) => `Barcode ${barcode} already belongs to “${owner}”. Remove it there first or use another.`,
  }),
  barcodeTwice: entry({
    es: () => 'El mismo código de barras figura dos veces.',
    en: () => 'The same barcode is listed twice.',
  }),
  badCursor: entry({
    es: () => 'No se pudo seguir la lista desde esa página; vuelva a empezar.',
    en: () => 'The page cursor is not valid; start the list again.',
  }),
  commandIdReused: entry({
    es: () => 'Esta operación ya se usó para otra cosa; hágala de nuevo como una operación nueva.',
    en: () => 'This request id was already used for a different operation; start it again as a new one.',
  }),
  roleForbidden: entry<{ role: string; method: string }>({
    es: ({ role, method }) => `Su rol (${role}) no permite ${method}; pídaselo a un supervisor.`,
    en: ({ role, method }) => `Your role (${role}) may not use ${method}; ask a supervisor.`,
  }),
  signInLinkUsed: entry({
    es: () => 'Este enlace de ingreso ya se usó, venció (dura 10 minutos) o no es válido. Pida uno nuevo con: mostrador link',
    en: () => 'This sign-in link was already used, has expired (it lasts 10 minutes) or is not valid. Get a new one with: mostrador link',
  }),
  notSignedIn: entry({
    es: () => 'No ingresó. Abra el enlace que Mostrador mostró al iniciar, o pida uno nuevo con: mostrador link',
    en: () => 'Not signed in. Open the link Mostrador printed when it started, or get a new one with: mostrador link',
  }),
  tooManySignIns: entry<{ seconds: number }>({
    es: ({ seconds }) => `Demasiados intentos de ingreso fallidos. Espere ${seconds} s y vuelva a intentar.`,
    en: ({ seconds }) => `Too many failed sign-in attempts. Wait ${seconds} s and try again.`,
  }),
  busy: entry<{ seconds: number }>({
    es: ({ seconds }) => `Mostrador está ocupado; reintente en ${seconds} s.`,
    en: ({ seconds }) => `Mostrador is busy; retry in ${seconds} s.`,
  }),
  invalidInput: entry<InvalidInput>({
    es: (p) => `Los datos no son válidos — ${invalidDetail('es', p)}`,
    en: (p) => `The input is not valid — ${invalidDetail('en', p)}`,
  }),
  diskFull: entry({
    es: () => 'Disco lleno: liberá espacio en el disco para seguir vendiendo. Se puede consultar, pero no guardar cambios.',
    en: () => 'Disk full: free some space to keep selling. You can still look things up, but not save changes.',
  }),
  diskFullAtStart: entry<{ free: string; needed: string; dir: string }>({
    es: ({ free, needed, dir }) =>
      `Disco lleno: quedan ${free} libres en el disco de ${dir} y Mostrador necesita al menos ${needed} para abrir sin riesgo. Liberá espacio en ese disco y volvé a iniciar.`,
    en: ({ free, needed, dir }) =>
      `Disk full: ${free} free on the disk of ${dir}, and Mostrador needs at least ${needed} to open safely. Free some space on that disk and start again.`,
  }),
  wrongCredential: entry<{ left: number }>({
    es: ({ left }) => `PIN o contraseña incorrectos. Quedan ${num(left, 'es')} intentos antes del bloqueo.`,
    en: ({ left }) => `Wrong PIN or password. ${num(left, 'en')} attempts left before the lockout.`,
  }),
  lockedOut: entry<{ until: string; seconds: number }>({
    es: ({ seconds }) => `Demasiados intentos fallidos: esta persona queda bloqueada ${num(seconds, 'es')} s. Espere o pida ayuda a un supervisor.`,
    en: ({ seconds }) => `Too many failed attempts: this person is locked for ${num(seconds, 'en')} s. Wait, or ask a supervisor.`,
  }),
  personNeeded: entry({
    es: () => 'Ingrese con su nombre y PIN (o contraseña) para seguir.',
    en: () => 'Sign in with your name and PIN (or password) to go on.',
  }),
  userNotFound: entry({ es: () => 'Esa persona no existe.', en: () => 'That person does not exist.' }),
  userInactive: entry({ es: () => 'Esa persona está desactivada; el dueño puede reactivarla.', en: () => 'That person is deactivated; the owner can reactivate them.' }),
  credentialMissing: entry<{ what: string }>({
    es: ({ what }) => `Esa persona no tiene ${what === 'pin' ? 'PIN' : 'contraseña'}; el dueño debe asignarle uno primero.`,
    en: ({ what }) => `That person has no ${what === 'pin' ? 'PIN' : 'password'}; the owner must set one first.`,
  }),
  managersUsePassword: entry({
    es: () => 'El dueño y los supervisores ingresan con contraseña.',
    en: () => 'The owner and supervisors sign in with their password.',
  }),
  staffUsePin: entry({ es: () => 'Cajeros y repositores ingresan con su PIN.', en: () => 'Cashiers and stock clerks sign in with their PIN.' }),
  ownerAlreadySet: entry({
    es: () => 'El dueño ya tiene contraseña; ingrese con ella.',
    en: () => 'The owner already has a password; sign in with it.',
  }),
  onlyOwnCredential: entry({
    es: () => 'Solo el dueño puede cambiar el PIN o la contraseña de otra persona.',
    en: () => "Only the owner can change another person's PIN or password.",
  }),
  passwordForManagers: entry({
    es: () => 'Solo el dueño y los supervisores usan contraseña; a los demás asígneles un PIN.',
    en: () => 'Only the owner and supervisors use a password; give the others a PIN.',
  }),
  lastOwner: entry({
    es: () => 'Es el único dueño activo: la tienda no puede quedarse sin dueño.',
    en: () => 'This is the only active owner: the store cannot be left without one.',
  }),
  notApprover: entry({
    es: () => 'Solo un supervisor o el dueño puede autorizar esto.',
    en: () => 'Only a supervisor or the owner can approve this.',
  }),
  approvalNeeded: entry<{ action: string }>({
    es: ({ action }) => `Esto necesita la autorización de un supervisor (${action}).`,
    en: ({ action }) => `This needs a supervisor's approval (${action}).`,
  }),
  approvalInvalid: entry<{ action: string }>({
    es: ({ action }) => `Esa autorización no sirve para “${action}”: venció (dura 2 minutos), ya se usó o es de otra acción. Pida una nueva.`,
    en: ({ action }) => `That approval is not valid for "${action}": it expired (2 minutes), was used, or is for another action. Ask again.`,
  }),
  notEnrolled: entry({
    es: () => 'Esta terminal no está unida a un servidor central. Únala en Ajustes › Servidor central, o con: mostrador enroll',
    en: () => 'This terminal is not joined to a central server. Join it in Settings › Central server, or with: mostrador enroll',
  }),
  alreadyEnrolled: entry<{ url: string }>({
    es: ({ url }) => `Esta terminal ya está unida al servidor central ${url}.`,
    en: ({ url }) => `This terminal is already joined to the central server ${url}.`,
  }),
  centralUnreachable: entry<{ detail: string }>({
    es: ({ detail }) => `No se pudo hablar con el servidor central; revise la dirección y la red y vuelva a intentar (${detail}).`,
    en: ({ detail }) => `Could not talk to the central server; check its address and the network and try again (${detail}).`,
  }),
  centralRefused: entry<{ detail: string }>({
    es: ({ detail }) => `El servidor central no aceptó el pedido: ${detail}`,
    en: ({ detail }) => `The central server did not accept the request: ${detail}`,
  }),
  enrollOtherDevice: entry({
    es: () => 'El servidor central respondió para otro dispositivo; pida un código nuevo y vuelva a intentar.',
    en: () => 'The central server answered for another device; get a new code and try again.',
  }),
  enrollStoreHasEvents: entry({
    es: () => 'Esta terminal ya tiene operaciones propias y no puede unirse a otro local; use una terminal nueva o únala como el primer equipo del local.',
    en: () => 'This terminal already has operations of its own and cannot join another store; use a new terminal, or join it as the store\'s first device.',
  }),
  notATerminal: entry({
    es: () => 'Solo una terminal se une a un servidor central.',
    en: () => 'Only a terminal joins a central server.',
  }),
  noDeadLetter: entry({
    es: () => 'No hay ninguna operación detenida para reintentar: los envíos al servidor central siguen normalmente.',
    en: () => 'There is no halted operation to retry: sending to the central server goes on normally.',
  }),
  internal: entry({
    es: () => 'Algo falló dentro de Mostrador; la operación no se completó.',
    en: () => 'Something went wrong inside Mostrador; the operation was not completed.',
  }),
  recoveringOwnTail: entry({
    es: () => 'Esta caja está recuperando sus ventas del servidor central; esperá unos segundos y volvé a intentar.',
    en: () => 'This till is taking its sales back from the central server; wait a few seconds and try again.',
  }),
} satisfies Record<string, Entry<any>>;

export type MessageKey = keyof typeof userMessages;
export type MessageParams<K extends MessageKey> = Parameters<(typeof userMessages)[K]['es']>[0];

export function renderMessage(locale: Locale, key: MessageKey, params: unknown): string {
  const render = userMessages[key][locale] as (p: unknown) => string;
  return render(params);
}

/** The first language of an Accept-Language header that we speak; English when none is given (tools, scripts). */
export function localeFrom(acceptLanguage: string | undefined): Locale {
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.trim().slice(0, 2).toLowerCase();
    if (tag === 'es' || tag === 'en') return tag;
  }
  return 'en';
}
