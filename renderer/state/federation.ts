import type { AppError } from '../../shared/errors.js';
import { isAbortError } from '../api/client.js';
import { toAppError } from './errors.js';
import type { Slice } from './types.js';

/** The relay's actions (status screen): join a central, sync now, reconcile now, reset the breaker, retry a dead letter; the status push shows the outcome. */
export interface FederationSlice {
  federationBusy: boolean;
  federationError: AppError | null;
  enroll(input: { centralUrl: string; code: string }): Promise<boolean>;
  syncNow(): Promise<void>;
  resetBreaker(): Promise<void>;
  reconcileNow(): Promise<void>;
  retryDeadLetter(): Promise<void>;
}

export const createFederationSlice: Slice<FederationSlice> = ({ client }) => (set, get) => {
  const act = async (call: () => Promise<unknown>): Promise<boolean> => {
    if (get().federationBusy) return false;
    set({ federationBusy: true, federationError: null });
    try {
      await call();
      await get().loadStatus();
      return true;
    } catch (e) {
      if (!isAbortError(e)) set({ federationError: toAppError(e) });
      return false;
    } finally {
      set({ federationBusy: false });
    }
  };
  return {
    federationBusy: false,
    federationError: null,
    enroll: (input) => act(() => client.call('federation.enroll', input, { timeoutMs: 60_000 })),
    syncNow: async () => void (await act(() => client.call('federation.syncNow', {}, { timeoutMs: 60_000 }))),
    resetBreaker: async () => void (await act(() => client.call('federation.resetBreaker', {}))),
    // Comparing logs is cheap when they agree, but a large divergence takes a while to replay.
    reconcileNow: async () => void (await act(() => client.call('federation.reconcileNow', {}, { timeoutMs: 120_000 }))),
    retryDeadLetter: async () => void (await act(() => client.call('federation.retryDeadLetter', {}, { timeoutMs: 60_000 }))),
  };
};
