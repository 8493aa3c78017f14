import { DEFAULT_LANG, isLang, type Lang } from '../i18n/translate.js';
import type { Slice } from './types.js';

const KEY = 'mostrador.lang';

export interface LocaleSlice {
  lang: Lang;
  setLang(lang: Lang): void;
}

export const createLocaleSlice: Slice<LocaleSlice> = ({ storage }) => (set) => {
  const saved = storage?.getItem(KEY);
  return {
    lang: isLang(saved) ? saved : DEFAULT_LANG,
    setLang(lang) {
      // Private windows and full disks refuse to store; the choice still holds for this session.
      try {
        storage?.setItem(KEY, lang);
      } catch {
        /* kept in memory only */
      }
      set({ lang });
    },
  };
};
