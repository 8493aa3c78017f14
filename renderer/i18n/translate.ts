import { en, es, type MessageKey } from './messages.js';

export const languages = ['es', 'en'] as const;
export type Lang = (typeof languages)[number];
export const DEFAULT_LANG: Lang = 'es';

const dictionaries: Record<Lang, Record<MessageKey, string>> = { es, en };

export const isLang = (value: unknown): value is Lang => languages.includes(value as Lang);

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export const translator =
  (lang: Lang): Translate =>
  (key, vars) => {
    const text = dictionaries[lang][key];
    return vars ? text.replace(/\{(\w+)\}/g, (m, name: string) => String(vars[name] ?? m)) : text;
  };

/**
 * The region for numbers and dates: the person's own (es-MX, en-GB …) when it is in the chosen language,
 * otherwise the region most of our shops use.
 */
export function localeFor(lang: Lang, preferred: readonly string[]): string {
  const own = preferred.find((tag) => tag.toLowerCase().split('-')[0] === lang && tag.includes('-'));
  return own ?? (lang === 'es' ? 'es-AR' : 'en-US');
}
