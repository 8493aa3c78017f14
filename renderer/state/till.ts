import type { CashReport, CashSession, InputOf, OutputOf } from '../../shared/contract/index.js';
import type { CallOptions } from '../api/client.js';
import type { Refresher, Slice } from './types.js';

/** The till of this terminal and the fiscal numbers it has left: what the checkout's status strip and payment need. */
export interface TillSlice {
  till: CashSession | null;
  tillLoaded: boolean;
  /** Ticket numbers left in this device's ranges (null: unknown). */
  fiscalLeft: number | null;
  /** This node grants its own ranges (standalone store): no range yet only means no sale yet. */
  fiscalSelf: boolean;
  loadTill(): Promise<void>;
  loadFiscal(): Promise<void>;
  tillSettings: OutputOf<'cash.settings'> | null;
  loadTillSettings(): Promise<void>;
  openTill(input: InputOf<'cash.open'>, opts: CallOptions): Promise<CashSession>;
  moveCash(input: InputOf<'cash.move'>, opts: CallOptions): Promise<OutputOf<'cash.move'>>;
  readX(): Promise<CashReport>;
  closeTill(input: InputOf<'cash.close'>, opts: CallOptions): Promise<CashReport>;
  /** A supervisor's PIN typed on this screen authorises one action (users.approve). */
  approve(input: InputOf<'users.approve'>, opts?: CallOptions): Promise<OutputOf<'users.approve'>>;
  /** Returns and voids at the till: a sale by its fiscal number or receipt barcode, then refund lines or void it. */
  findSale(input: InputOf<'sales.find'>): Promise<OutputOf<'sales.find'>>;
  refundSale(input: InputOf<'sales.refund'>, opts: CallOptions): Promise<OutputOf<'sales.refund'>>;
  voidSale(input: InputOf<'sales.void'>, opts: CallOptions): Promise<OutputOf<'sales.void'>>;
  /** Sales refunded past what was sold (two terminals offline): the owner's home lists them. */
  refundAnomalies(): Promise<OutputOf<'sales.anomalies'>>;
}

export const createTillSlice: Slice<TillSlice> = ({ client }) => (set) => ({
  tillSettings: null,
  async loadTillSettings() {
    set({ tillSettings: await client.call('cash.settings', {}) });
  },
  async openTill(input, opts) {
    const session = await client.call('cash.open', input, opts);
    set({ till: session, tillLoaded: true });
    return session;
  },
  moveCash: (input, opts) => client.call('cash.move', input, opts),
  readX: () => client.call('cash.x', {}),
  async closeTill(input, opts) {
    const z = await client.call('cash.close', input, opts);
    set({ till: null });
    return z;
  },
  approve: (input, opts) => client.call('users.approve', input, opts),
  findSale: (input) => client.call('sales.find', input),
  refundSale: (input, opts) => client.call('sales.refund', input, opts),
  voidSale: (input, opts) => client.call('sales.void', input, opts),
  refundAnomalies: () => client.call('sales.anomalies', {}),
  till: null,
  tillLoaded: false,
  fiscalLeft: null,
  fiscalSelf: false,
  async loadTill() {
    try {
      const { session } = await client.call('cash.current', {});
      set({ till: session, tillLoaded: true });
    } catch {
      set({ tillLoaded: true });
    }
  },
  async loadFiscal() {
    try {
      const status = await client.call('fiscal.status', {});
      const tickets = status.series.filter((s) => s.docType === 'ticket');
      set({ fiscalLeft: tickets.length ? tickets.reduce((n, s) => n + s.left, 0) : null, fiscalSelf: status.authority === 'self' });
    } catch {
      set({ fiscalLeft: null });
    }
  },
});

export const refreshTill: Refresher = {
  topic: 'cash',
  run: (state) => {
    if (state.tillLoaded) void state.loadTill();
  },
};

export const refreshFiscal: Refresher = {
  topic: 'fiscal',
  run: (state) => {
    if (state.tillLoaded) void state.loadFiscal();
  },
};
