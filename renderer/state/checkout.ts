import type { InputOf, OpenTicket, OutputOf, Product } from '../../shared/contract/index.js';
import { interpretScan } from '../../shared/barcodes.js';
import { currencyDigits } from '../../shared/money.js';
import { defaultSettings, type Settings } from '../../shared/settings.js';
import { isAbortError, type CallOptions } from '../api/client.js';
import * as cart from '../pos/cart.js';
import { CatalogIndex } from '../pos/catalog.js';
import { toAppError } from './errors.js';
import type { Refresher, Slice } from './types.js';

/** A line of feedback under the scan: never blocks the sale (an unknown code is a warning, the cashier scans on). */
export interface ScanNotice {
  kind: 'unknown' | 'invalid' | 'weighNeeded' | 'lookupFailed';
  code: string;
}

export type SaveState = 'saved' | 'pending' | 'failed';

export interface CheckoutSlice {
  checkoutStarted: boolean;
  catalogState: 'idle' | 'loading' | 'ready' | 'failed';
  catalogCount: number;
  counterSettings: Settings;
  ticket: OpenTicket;
  parked: OpenTicket[];
  selectedLineId: string | null;
  scanNotice: ScanNotice | null;
  saveState: SaveState;
  startCheckout(): Promise<void>;
  loadCatalog(): Promise<void>;
  scan(code: string): void;
  addToTicket(product: Product, opts?: Omit<cart.AddOptions, 'merge'>): void;
  /** Products matching what the cashier types (the newest call wins; older ones are aborted by the caller). */
  findProducts(text: string, signal: AbortSignal): Promise<Product[]>;
  selectLine(lineId: string | null): void;
  moveSelection(delta: number): void;
  setLineQuantity(lineId: string, quantity: number): void;
  removeTicketLine(lineId: string): void;
  setLineDiscount(lineId: string, discount: number, approvalId: string | null): void;
  overrideLinePrice(lineId: string, unitPrice: number, approvalId: string | null): void;
  setTicketDiscount(discount: number, approvalId: string | null): void;
  parkTicket(label: string): Promise<void>;
  resumeTicket(ticketId: string): Promise<void>;
  abandonTicket(reason: string): Promise<void>;
  /** The sale of the current ticket is complete: forget it and start an empty one. */
  ticketSold(): Promise<void>;
  /** Completes the sale of the current ticket (one command; the keeper's id makes a retry safe). */
  completeSale(input: InputOf<'sales.complete'>, opts: CallOptions & { commandId: string }): Promise<OutputOf<'sales.complete'>>;
  /** Saves now what is waiting for the debounce (park, sign-out, the page going away). */
  flushTickets(opts?: { keepalive?: boolean }): Promise<void>;
}

/** How long after the last change the ticket is sent to the node: a burst of scans is one save, a pause is saved. */
export const SAVE_DEBOUNCE_MS = 150;
const PAGE = 500;

export const createCheckoutSlice: Slice<CheckoutSlice> = ({ client }) => (set, get) => {
  const index = { current: new CatalogIndex() };
  /** Tickets changed and not yet sent, by id (the newest revision of each). */
  const unsent = new Map<string, OpenTicket>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let sending: Promise<void> | undefined;

  async function send(keepalive: boolean): Promise<void> {
    while (unsent.size > 0) {
      const batch = [...unsent.values()];
      unsent.clear();
      try {
        for (const ticket of batch) await client.call('tickets.save', ticket, { keepalive });
      } catch (e) {
        // Put back what failed unless a newer revision is already waiting; the next change or flush retries it.
        for (const ticket of batch) if (!unsent.has(ticket.ticketId)) unsent.set(ticket.ticketId, ticket);
        set({ saveState: 'failed' });
        throw e;
      }
    }
    set({ saveState: 'saved' });
  }

  function flush(keepalive = false): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    // One save at a time, in order: a newer revision never races an older one to the node.
    const run = (sending ?? Promise.resolve()).catch(() => {}).then(() => send(keepalive));
    sending = run.finally(() => {
      if (sending === tracked) sending = undefined;
    });
    const tracked = sending;
    return run;
  }

  function changed(ticket: OpenTicket, extra: Partial<CheckoutSlice> = {}): void {
    unsent.set(ticket.ticketId, ticket);
    set({ ticket, saveState: 'pending', ...extra });
    clearTimeout(timer);
    timer = setTimeout(() => void flush().catch(() => {}), SAVE_DEBOUNCE_MS);
  }

  const current = () => get().ticket;
  const merge = () => get().counterSettings.mergeRepeatScans;

  function addToTicket(product: Product, opts: Omit<cart.AddOptions, 'merge'> = {}): void {
    const { ticket, lineId } = cart.addProduct(current(), product, { ...opts, merge: merge() });
    changed(ticket, { selectedLineId: lineId, scanNotice: null });
  }

  async function lookUp(code: string): Promise<void> {
    try {
      const match = await client.call('products.findByBarcode', { barcode: code });
      index.current.add([match.product]);
      addToTicket(match.product, { barcode: code });
    } catch (e) {
      const error = toAppError(e);
      set({ scanNotice: { kind: error.code === 'NotFound' || error.code === 'ValidationError' ? 'unknown' : 'lookupFailed', code } });
    }
  }

  return {
    checkoutStarted: false,
    catalogState: 'idle',
    catalogCount: 0,
    counterSettings: defaultSettings('ARS'),
    ticket: cart.emptyTicket(),
    parked: [],
    selectedLineId: null,
    scanNotice: null,
    saveState: 'saved',

    async startCheckout() {
      if (get().checkoutStarted) return;
      set({ checkoutStarted: true });
      void get().loadCatalog();
      void get().loadTill().then(() => get().loadFiscal());
      const [settings, kept] = await Promise.all([
        client.call('settings.get', {}).catch(() => undefined),
        client.call('tickets.list', {}).catch(() => undefined),
      ]);
      if (settings) set({ counterSettings: settings.values });
      if (!kept) return;
      const tickets = kept.tickets.map(({ updatedAt: _u, updatedBy: _b, ...t }) => t as OpenTicket);
      // The newest open ticket is the one on the counter; other open ones (two tabs, a crash mid-park) wait parked.
      const open = tickets.find((t) => t.status === 'open' && t.lines.length > 0);
      const others = tickets.filter((t) => t !== open);
      set((s) => ({
        ticket: s.ticket.lines.length === 0 && open ? open : s.ticket,
        parked: others.filter((t) => t.lines.length > 0),
        selectedLineId: open?.lines.at(-1)?.lineId ?? s.selectedLineId,
      }));
    },

    async loadCatalog() {
      set({ catalogState: 'loading' });
      const next = new CatalogIndex();
      let after: string | undefined;
      try {
        do {
          const page = await client.call('products.list', { limit: PAGE, ...(after ? { after } : {}) });
          next.add(page.items);
          after = page.next ?? undefined;
        } while (after);
        index.current = next;
        set({ catalogState: 'ready', catalogCount: next.size });
      } catch (e) {
        if (!isAbortError(e)) set({ catalogState: index.current.size > 0 ? 'ready' : 'failed' });
      }
    },

    scan(code) {
      const settings = get().counterSettings;
      const read = interpretScan(code, settings.scaleNomenclature, { currencyDigits: currencyDigits(get().status?.currency ?? 'ARS') });
      if (read.kind === 'invalid') {
        set({ scanNotice: { kind: 'invalid', code } });
        return;
      }
      if (read.kind === 'plain') {
        const product = index.current.byBarcode(read.code);
        if (product && product.unit === 'kg') set({ scanNotice: { kind: 'weighNeeded', code } });
        if (product) addToTicket(product, { barcode: read.code });
        else void lookUp(read.code);
        return;
      }
      const product = index.current.byItemCode(read.itemCode);
      if (!product) {
        set({ scanNotice: { kind: 'unknown', code } });
        return;
      }
      if (read.by === 'weight') addToTicket(product, { barcode: code, quantity: Math.max(1, read.quantity) });
      else addToTicket(product, { barcode: code, labelPrice: read.price });
    },

    addToTicket,
    findProducts: async (text, signal) => (await client.call('products.list', { search: text, limit: 8 }, { signal })).items,
    selectLine: (lineId) => set({ selectedLineId: lineId }),
    moveSelection(delta) {
      const { lines } = current();
      if (lines.length === 0) return;
      const at = lines.findIndex((l) => l.lineId === get().selectedLineId);
      const to = Math.min(lines.length - 1, Math.max(0, (at < 0 ? lines.length : at) + delta));
      set({ selectedLineId: lines[to]!.lineId });
    },
    setLineQuantity: (lineId, quantity) => changed(cart.setQuantity(current(), lineId, quantity)),
    removeTicketLine(lineId) {
      const ticket = current();
      const line = ticket.lines.find((l) => l.lineId === lineId);
      if (!line) return;
      const after = cart.removeLine(ticket, lineId);
      changed(after, { selectedLineId: after.lines.at(-1)?.lineId ?? null });
      // The audit log's record; the line is already off the screen and the ticket saved without it.
      const input = { ticketId: ticket.ticketId, productId: line.productId, name: line.name, quantity: line.quantity, amount: cart.lineAmount(line) };
      void client.call('tickets.removeLine', input).catch(() => {});
    },
    setLineDiscount: (lineId, discount, approvalId) => changed(cart.setLineDiscount(current(), lineId, discount, approvalId)),
    overrideLinePrice: (lineId, unitPrice, approvalId) => changed(cart.overridePrice(current(), lineId, unitPrice, approvalId)),
    setTicketDiscount: (discount, approvalId) => changed(cart.setTicketDiscount(current(), discount, approvalId)),

    async parkTicket(label) {
      const ticket = current();
      if (ticket.lines.length === 0) return;
      const parkedTicket = cart.park(ticket, label);
      unsent.set(parkedTicket.ticketId, parkedTicket);
      set((s) => ({ parked: [parkedTicket, ...s.parked], ticket: cart.emptyTicket(), selectedLineId: null, scanNotice: null }));
      await flush();
    },

    async resumeTicket(ticketId) {
      const wanted = get().parked.find((t) => t.ticketId === ticketId);
      if (!wanted) return;
      const now = current();
      const parkedNow = now.lines.length > 0 ? [cart.park(now, '')] : [];
      for (const t of parkedNow) unsent.set(t.ticketId, t);
      const resumed = cart.resume(wanted);
      unsent.set(resumed.ticketId, resumed);
      set((s) => ({
        ticket: resumed,
        parked: [...parkedNow, ...s.parked.filter((t) => t.ticketId !== ticketId)],
        selectedLineId: resumed.lines.at(-1)?.lineId ?? null,
      }));
      await flush();
    },

    async abandonTicket(reason) {
      const ticket = current();
      if (ticket.lines.length > 0) {
        await flush();
        await client.call('tickets.abandon', { ticketId: ticket.ticketId, reason });
      }
      unsent.delete(ticket.ticketId);
      set({ ticket: cart.emptyTicket(), selectedLineId: null, scanNotice: null });
    },

    async completeSale(input, opts) {
      await flush().catch(() => {});
      return client.call('sales.complete', input, opts);
    },

    async ticketSold() {
      const ticket = current();
      unsent.delete(ticket.ticketId);
      set({ ticket: cart.emptyTicket(), selectedLineId: null, scanNotice: null });
      await client.call('tickets.close', { ticketId: ticket.ticketId }).catch(() => {});
    },

    // A failed save is shown in the status strip and retried with the next change; it never interrupts the sale.
    flushTickets: (opts) => flush(opts?.keepalive ?? false).catch(() => {}),
  };
};

/** A changed catalog: re-read the index in the background (scans meanwhile use the old one, or ask the node). */
export const refreshCatalog: Refresher = {
  topic: 'products',
  run: (state) => {
    if (state.catalogState === 'ready') void state.loadCatalog();
  },
};
