import { useEffect, useState } from 'react';

export const screens = ['status', 'products', 'settings', 'checkout', 'till', 'users', 'audit'] as const;
export type Screen = (typeof screens)[number];

const fromHash = (hash: string): Screen => {
  const name = hash.replace(/^#\/?/, '');
  return (screens as readonly string[]).includes(name) ? (name as Screen) : 'status';
};

/** The screen lives in the hash: a reload or a second window opens where the person was, with no router. */
export function useScreen(): Screen {
  const [screen, setScreen] = useState(() => fromHash(window.location.hash));
  useEffect(() => {
    const onChange = () => setScreen(fromHash(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return screen;
}
