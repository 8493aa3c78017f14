import type { Slice } from './types.js';

/** 'starting' until the node answers once; 'signedOut' after any 401 (the shell then shows how to sign in). */
export type SessionState = 'starting' | 'ready' | 'signedOut';

export interface SessionSlice {
  session: SessionState;
  /** The one-time code of the link was refused: it is worth saying so on the sign-in screen. */
  codeRefused: boolean;
  /** Browser mode signs in with a cookie and can sign out; Electron's window holds the launch secret and cannot. */
  canSignOut: boolean;
  sessionReady(): void;
  signedOut(codeRefused?: boolean): void;
}

export const createSessionSlice: Slice<SessionSlice> = () => (set) => ({
  session: 'starting',
  codeRefused: false,
  canSignOut: false,
  sessionReady: () => set((s) => (s.session === 'starting' ? { session: 'ready' } : {})),
  signedOut: (codeRefused) => set((s) => ({ session: 'signedOut', codeRefused: codeRefused ?? s.codeRefused })),
});
