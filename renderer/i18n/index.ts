import { useMemo } from 'react';
import { useApp } from '../state/context.js';
import { localeFor, translator, type Translate } from './translate.js';

export * from './translate.js';
export type { MessageKey } from './messages.js';

const preferredLanguages = (): readonly string[] => (typeof navigator === 'undefined' ? [] : navigator.languages);

export function useT(): Translate {
  const lang = useApp((s) => s.lang);
  return useMemo(() => translator(lang), [lang]);
}

/** The BCP 47 tag for Intl formatting (money, dates, sizes) in the chosen language. */
export function useLocale(): string {
  const lang = useApp((s) => s.lang);
  return useMemo(() => localeFor(lang, preferredLanguages()), [lang]);
}
