import type { Bootstrap } from '../shared/contract/push.js';

declare global {
  interface Window {
    /** Electron's preload bridge; absent in a plain browser. */
    mostrador?: { bootstrap(): Promise<Bootstrap> };
  }
}
