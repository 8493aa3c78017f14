/**
 * What a validation error says about one field: its message without the field's name, and the field's name as a
 * person reads it. Joined into the catalog of shared/messages.ts (Spanish first).
 */
import type { Locale } from './messages.js';

type Params = Record<string, unknown>;
type Entry<P extends Params | void> = { es: (p: P) => string; en: (p: P) => string };

const entry = <P extends Params | void = void>(e: Entry<P>): Entry<P> => e;

/** A count in the reader's language (also the catalog's). */
export const num = (n: number, locale: Locale) => n.toLocaleString(locale);

/**
 * What is wrong with one field, said without naming it: the screen shows it next to the field, and the summary
 * (`invalidInput`) adds the field's name. Made from zod's issues by shared/issues.ts, never zod's own English.
 */
export const fieldMessages = {
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

export function fieldLabel(locale: Locale, path: string): string {
  const parts = path.split('.');
  const named = [...parts].reverse().find((part) => Object.hasOwn(fieldLabels, part));
  return named ? fieldLabels[named]![locale] : path;
}
