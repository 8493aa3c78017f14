import { salesMessages } from './messages.sales.js';
/**
 * Error messages a cashier or an owner reads, in Spanish and English (Spanish first). The node throws them by key
 * (`AppError.t`), and the API answers in the language the caller asks for (Accept-Language; the renderer sends the
 * language of its screens). Messages for developers (protocol misuse) stay in English.
 */
import { cashMessages } from './messages.cash.js';

export type Locale = 'es' | 'en';

type Params = Record<string, unknown>;
type Entry<P extends Params | void> = { es: (p: P) => string; en: (p: P) => string };

const entry = <P extends Params | void = void>(e: Entry<P>): Entry<P> => e;

const num = (n: number, locale: Locale) => n.toLocaleString(locale);

/**
 * What is wrong with one field, said without naming it: the screen shows it next to the field, and the summary
 * (`invalidInput`) adds the field's name. Made from zod's issues by shared/issues.ts, never zod's own English.
 */
const fieldMessages = {
  fieldRequired: entry({ es: () => 'Falta este dato.', en: () => 'This is required.' }),
  fieldInvalid: entry({ es: () => 'Este valor no es válido.', en: () => 'This value is not valid.' }),
  fieldMustBeText: entry({ es: () => 'Debe ser un texto.', en: () => 'Must be text.' }),
  fieldMustBeNumber: entry({ es: () => 'Debe ser un número.', en: () => 'Must be a number.' }),
  fieldMustBeWhole: entry({ es: () => 'Debe ser un número entero, sin decimales.', en: () => 'Must be a whole number, without decimals.' }),
  fieldMustBeYesNo: entry({ es: () => 'Debe ser sí o no (true o false).', en: () => 'Must be yes or no (true or false).' }),
  fieldMustBeList: entry({ es: () => 'Debe ser una lista.', en: () => 'Must be a list.' }),
  fieldMustBeObject: entry({ es: () => 'Debe ser un objeto JSON con sus campos.', en: () => 'Must be a JSON object with its fields.' }),
  fieldChoice: entry<{ options: string }>({
    es: ({ options }) => `Debe ser uno de estos valores: ${options}.`,
    en: ({ options }) => `Must be one of: ${options}.`,
  }),
  fieldUnknown: entry<{ keys: string }>({
    es: ({ keys }) => `Campos que no corresponden aquí: ${keys}.`,
    en: ({ keys }) => `Fields that do not belong here: ${keys}.`,
  }),
  textEmpty: entry({ es: () => 'No puede quedar vacío.', en: () => 'Cannot be empty.' }),
  textTooShort: entry<{ min: number }>({
    es: ({ min }) => `Es demasiado corto: al menos ${num(min, 'es')} caracteres.`,
    en: ({ min }) => `Is too short: at least ${num(min, 'en')} characters.`,
  }),
  textTooLong: entry<{ max: number }>({
    es: ({ max }) => `Es demasiado largo: como máximo ${num(max, 'es')} caracteres.`,
    en: ({ max }) => `Is too long: at most ${num(max, 'en')} characters.`,
  }),
  textControl: entry({
    es: () => 'Tiene caracteres de control, que no se ven y no se pueden guardar ni imprimir.',
    en: () => 'Contains control characters, which cannot be seen, stored or printed.',
  }),
  textBidi: entry({
    es: () => 'Tiene caracteres que cambian la dirección del texto, con los que se vería algo distinto de lo escrito.',
    en: () => 'Contains characters that change the direction of the text, which would make it show something other than what it says.',
  }),
  textInvisible: entry({
    es: () => 'Solo tiene caracteres invisibles; escriba algo que se pueda leer.',
    en: () => 'Contains only invisible characters; type something that can be read.',
  }),
  textNoncharacter: entry({
    es: () => 'Tiene caracteres que Unicode reserva y que no se pueden mostrar.',
    en: () => 'Contains characters that Unicode reserves and that cannot be shown.',
  }),
  textBroken: entry({
    es: () => 'Tiene un carácter incompleto (medio par UTF-16); vuelva a escribirlo.',
    en: () => 'Contains a broken character (half of a UTF-16 pair); type it again.',
  }),
  numberNegative: entry({ es: () => 'No puede ser negativo.', en: () => 'Cannot be negative.' }),
  numberTooSmall: entry<{ min: number }>({
    es: ({ min }) => `Debe ser como mínimo ${num(min, 'es')}.`,
    en: ({ min }) => `Must be at least ${num(min, 'en')}.`,
  }),
  numberTooLarge: entry<{ max: number }>({
    es: ({ max }) => `Debe ser como máximo ${num(max, 'es')}.`,
    en: ({ max }) => `Must be at most ${num(max, 'en')}.`,
  }),
  numberAbove: entry<{ min: number }>({
    es: ({ min }) => `Debe ser mayor que ${num(min, 'es')}.`,
    en: ({ min }) => `Must be more than ${num(min, 'en')}.`,
  }),
  numberBelow: entry<{ max: number }>({
    es: ({ max }) => `Debe ser menor que ${num(max, 'es')}.`,
    en: ({ max }) => `Must be less than ${num(max, 'en')}.`,
  }),
  listTooShort: entry<{ min: number }>({
    es: ({ min }) => `Debe tener al menos ${num(min, 'es')} elementos.`,
    en: ({ min }) => `Must have at least ${num(min, 'en')} items.`,
  }),
  listTooLong: entry<{ max: number }>({
    es: ({ max }) => `Admite como máximo ${num(max, 'es')} elementos.`,
    en: ({ max }) => `Takes at most ${num(max, 'en')} items.`,
  }),
  notAnId: entry({ es: () => 'No es un identificador válido (UUID).', en: () => 'Is not a valid id (UUID).' }),
  notACommandId: entry({
    es: () => 'Debe ser un UUID v7 generado por el cliente.',
    en: () => 'Must be a UUID v7 generated by the client.',
  }),
  badBarcode: entry({
    es: () => 'Un código de barras tiene de 1 a 32 letras, dígitos, guiones o puntos.',
    en: () => 'A barcode has 1 to 32 letters, digits, hyphens or dots.',
  }),
  nothingToChange: entry({ es: () => 'No hay nada que cambiar.', en: () => 'There is nothing to change.' }),
  badSeries: entry({
    es: () => 'Una serie fiscal tiene de 1 a 20 letras, dígitos o guiones (por ejemplo B-0001).',
    en: () => 'A fiscal series has 1 to 20 letters, digits or hyphens (for example B-0001).',
  }),
  denominationsOrder: entry({
    es: () => 'Liste los billetes y monedas de mayor a menor, sin repetir.',
    en: () => 'List the notes and coins from largest to smallest, without repeats.',
  }),
  taxRateTwice: entry({
    es: () => 'La misma alícuota figura dos veces.',
    en: () => 'The same tax rate is listed twice.',
  }),
  badNomenclature: entry({
    es: () => 'Cada prefijo de balanza (20 a 29) va una sola vez, y el dígito verificador de precio solo existe con un valor de 4 o 5 dígitos.',
    en: () => 'Each scale prefix (20 to 29) appears once, and a price-verifier digit exists only with a 4- or 5-digit value.',
  }),
  pinShape: entry({ es: () => 'El PIN son de 4 a 6 dígitos.', en: () => 'A PIN is 4 to 6 digits.' }),
  passwordShort: entry<{ min: number }>({
    es: ({ min }) => `La contraseña debe tener al menos ${num(min, 'es')} caracteres.`,
    en: ({ min }) => `The password must have at least ${num(min, 'en')} characters.`,
  }),
  pinOrPassword: entry({ es: () => 'Escriba el PIN o la contraseña (uno de los dos).', en: () => 'Give the PIN or the password (one of them).' }),
  rangeBackwards: entry({ es: () => 'La fecha “desde” es posterior a “hasta”.', en: () => 'The “from” date is after the “to” date.' }),
};

export type FieldMessageKey = keyof typeof fieldMessages;

export const isFieldMessageKey = (value: unknown): value is FieldMessageKey =>
  typeof value === 'string' && Object.hasOwn(fieldMessages, value);

/** Field names as a person reads them, for the summary of a validation error; unknown ones show as they are. */
const fieldLabels: Record<string, Record<Locale, string>> = {
  name: { es: 'nombre', en: 'name' },
  price: { es: 'precio', en: 'price' },
  cost: { es: 'costo', en: 'cost' },
  sku: { es: 'código interno (SKU)', en: 'SKU' },
  barcode: { es: 'código de barras', en: 'barcode' },
  barcodes: { es: 'códigos de barras', en: 'barcodes' },
  category: { es: 'categoría', en: 'category' },
  taxRateBp: { es: 'alícuota de impuesto', en: 'tax rate' },
  unit: { es: 'unidad', en: 'unit' },
  trackStock: { es: 'controlar stock', en: 'track stock' },
  minStock: { es: 'stock mínimo', en: 'minimum stock' },
  reason: { es: 'motivo', en: 'reason' },
  search: { es: 'búsqueda', en: 'search' },
  limit: { es: 'cantidad', en: 'limit' },
  after: { es: 'página', en: 'page' },
  id: { es: 'identificador', en: 'id' },
  patch: { es: 'cambios', en: 'changes' },
  pin: { es: 'PIN', en: 'PIN' },
  password: { es: 'contraseña', en: 'password' },
  role: { es: 'rol', en: 'role' },
  userId: { es: 'persona', en: 'person' },
  supervisorId: { es: 'supervisor', en: 'supervisor' },
  action: { es: 'acción', en: 'action' },
  from: { es: 'desde', en: 'from' },
  to: { es: 'hasta', en: 'to' },
  kind: { es: 'tipo', en: 'kind' },
};

function fieldLabel(locale: Locale, path: string): string {
  const parts = path.split('.');
  const named = [...parts].reverse().find((part) => Object.hasOwn(fieldLabels, part));
  return named ? fieldLabels[named]![locale] : path;
}

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
