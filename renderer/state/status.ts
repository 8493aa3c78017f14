import type { NodeStatus } from '../../shared/contract/index.js';
import type { AppError } from '../../shared/errors.js';
import { isAbortError, type CallOptions } from '../api/client.js';
import type { LinkState } from '../api/push.js';
import { toAppError } from './errors.js';
import type { Refresher, Slice } from './types.js';

export interface StatusSlice {
  status: NodeStatus | null;
  /** Local clock when `status` arrived, so uptime can tick between pushes without re-asking. */
  statusAt: number;
  statusError: AppError | null;
  link: LinkState;
  loadStatus(opts?: CallOptions): Promise<void>;
  receiveStatus(status: NodeStatus): void;
  setLink(link: LinkState): void;
}

export const createStatusSlice: Slice<StatusSlice> = ({ client, now = Date.now }) => (set, get) => ({
  status: null,
  statusAt: 0,
  statusError: null,
  link: 'connecting',
  async loadStatus(opts) {
    try {
      get().receiveStatus(await client.call('system.status', {}, opts));
    } catch (e) {
      if (!isAbortError(e)) set({ statusError: toAppError(e) });
    }
  },
  receiveStatus(status) {
    set({ status, statusAt: now(), statusError: null });
    get().sessionReady();
  },
  setLink: (link) => set({ link }),
});

export const refreshStatus: Refresher = { topic: 'status', run: (state) => void state.loadStatus() };
