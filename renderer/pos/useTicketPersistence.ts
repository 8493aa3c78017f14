import { useEffect } from 'react';
import { useApp } from '../state/context.js';

/**
 * The open ticket reaches the node ~150 ms after each change (the slice debounces); this sends what is waiting at
 * once when the page goes away (reload, tab closed, window hidden), with `keepalive` so the request outlives it.
 */
export function useTicketPersistence(): void {
  const flush = useApp((s) => s.flushTickets);
  useEffect(() => {
    const now = () => void flush({ keepalive: true });
    const onVisibility = () => {
      if (document.visibilityState === 'hidden') now();
    };
    window.addEventListener('pagehide', now);
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      window.removeEventListener('pagehide', now);
      document.removeEventListener('visibilitychange', onVisibility);
      now();
    };
  }, [flush]);
}
