/**
 * Error messages a cashier or an owner reads, in Spanish and English (Spanish first). The node throws them by key
 * (`AppError.t`), and the API answers in the language the caller asks for (Accept-Language; the renderer sends the
 * language of its screens). Messages for developers (protocol misuse) stay in English.
 */
export type Locale = 'es' | 'en';

type Params = Record<string, string | number>;
type Entry<P extends Params | void> = { es: (p: P) => string; en: (p: P) => string };

const entry = <P extends Params | void = void>(e: Entry<P>): Entry<P> => e;

export const userMessages = {
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
  invalidInput: entry<{ detail: string }>({
    es: ({ detail }) => `Los datos no son válidos — ${detail}`,
    en: ({ detail }) => `The input is not valid — ${detail}`,
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
  internal: entry({
    es: () => 'Algo falló dentro de Mostrador; la operación no se completó.',
    en: () => 'Something went wrong inside Mostrador; the operation was not completed.',
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
