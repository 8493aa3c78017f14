import type { ReadDb } from '../../node/db/types.js';
import { newId } from '../../shared/ids.js';
import { until } from './cluster.js';
import { ApiError, type TerminalProcess } from './terminal-process.js';

/**
 * The store of the soak (test/chaos/soak.test.ts): what a day of selling does on terminals that are real processes,
 * and the record of every acknowledged write (a sale the API answered 200, with its fiscal number), which must be on
 * every node and the central at the end.
 */
export interface Ack {
  terminal: string;
  saleId: string;
  fiscal: { series: string; number: number } | null;
}

/** Answers that mean "not now" (not a bug): unreachable (killed), 503 (no fiscal numbers yet, recovering its tail). */
const notNow = (error: unknown) => error instanceof ApiError && (error.status === 0 || error.status === 503);

export class SoakShop {
  readonly acks: Ack[] = [];
  readonly sessions = new Map<string, string>();
  products: string[] = [];
  /** Operations a terminal could not do now (killed, offline without numbers): counted, never failed. */
  skipped = 0;

  constructor(
    readonly terminals: TerminalProcess[],
    private readonly random: () => number,
    readonly log: (line: string) => void,
  ) {}

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)]!;
  }

  /** Runs one operation; "not now" answers are counted and swallowed, anything else (a 4xx, a 500) fails the soak. */
  async attempt<T>(what: string, op: () => Promise<T>): Promise<T | undefined> {
    try {
      return await op();
    } catch (error) {
      if (!notNow(error)) throw new Error(`${what}: ${(error as Error).message}`, { cause: error });
      this.skipped += 1;
      const { status, body } = error as ApiError;
      this.log(`${what}: not now (${status} ${typeof body === 'string' ? body : body?.error?.message})`);
      return undefined;
    }
  }

  async createProducts(t: TerminalProcess, n: number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const product = await t.api('products.create', { name: `Producto ${this.products.length + 1}`, price: 1_000 * (1 + Math.floor(this.random() * 50)) });
      this.products.push(product.id);
    }
  }

  async openTill(t: TerminalProcess): Promise<void> {
    const { session: current } = await t.api('cash.current', {});
    if (current) return void this.sessions.set(t.name, current.id);
    const session = await t.api('cash.open', { float: [{ denomination: 100_000, count: 2 }] });
    this.sessions.set(t.name, session.id);
  }

  /** The day's end: the till closed with a blind count (its Z). */
  async closeTill(t: TerminalProcess): Promise<void> {
    const { session: current } = await t.api('cash.current', {});
    if (!current) return;
    await t.api('cash.close', { cashCount: [{ denomination: 100_000, count: 2 }] });
    this.sessions.delete(t.name);
  }

  saleInput(t: TerminalProcess) {
    const lines = Array.from({ length: 1 + Math.floor(this.random() * 4) }, () => ({
      productId: this.pick(this.products),
      quantity: 1_000 * (1 + Math.floor(this.random() * 3)),
    }));
    const card = this.random() < 0.4;
    return {
      tillSessionId: this.sessions.get(t.name)!,
      lines,
      // Card pays part (every sale costs at least 1,000), cash the rest with change.
      tenders: card ? [{ kind: 'card', amount: 500 }, { kind: 'cash', received: 100_000_000 }] : [{ kind: 'cash', received: 100_000_000 }],
    };
  }

  /** A sale; with `commandId` a retry of one whose answer was lost. Recorded when the API answers 200. */
  async sell(t: TerminalProcess, input = this.saleInput(t), commandId = newId()): Promise<Ack | undefined> {
    const sale = await this.attempt(`sale on ${t.name}`, () => t.api('sales.complete', input, commandId));
    if (!sale) return undefined;
    const ack = { terminal: t.name, saleId: sale.saleId as string, fiscal: sale.fiscal ? { series: sale.fiscal.series, number: sale.fiscal.number } : null };
    this.acks.push(ack);
    return ack;
  }

  /** A refund of an earlier acknowledged sale, found by its fiscal number (another terminal's once pulled). */
  async refund(t: TerminalProcess): Promise<void> {
    const sold = this.acks.filter((a) => a.fiscal);
    if (sold.length === 0) return;
    const { fiscal } = this.pick(sold);
    const view = await this.attempt(`find on ${t.name}`, () => t.api('sales.find', { code: `${fiscal!.series}.${fiscal!.number}` })).catch((error: Error) => {
      if ((error.cause as ApiError).status === 404) return undefined; // not pulled here yet
      throw error;
    });
    const line = view?.lines.find((l: { refundable: number }) => l.refundable >= 1_000);
    if (!view || !line) return;
    await this.attempt(`refund on ${t.name}`, () =>
      t.api('sales.refund', { saleId: view.saleId, tillSessionId: this.sessions.get(t.name)!, lines: [{ lineId: line.lineId, quantity: 1_000 }], reason: 'Devolución' }),
    );
  }

  /**
   * Two terminals (partitioned by the caller) each refund everything left of the same line of one sale, neither
   * having seen the other's refund: past what was sold, once both are relayed. False when no sale fits.
   */
  async doubleRefund(a: TerminalProcess, b: TerminalProcess): Promise<boolean> {
    const sold = this.acks.filter((x) => x.fiscal);
    if (sold.length === 0) return false;
    const { fiscal } = this.pick(sold);
    const code = `${fiscal!.series}.${fiscal!.number}`;
    const views = await Promise.all([a, b].map((t) => t.api('sales.find', { code }).catch(() => undefined)));
    const line = views[0]?.lines.find((l: { refundable: number }) => l.refundable >= 1_000);
    if (!line || !views[1]) return false;
    await Promise.all(
      [a, b].map((t, i) => {
        const left = views[i].lines.find((l: { lineId: string }) => l.lineId === line.lineId).refundable;
        const input = { saleId: views[i].saleId, tillSessionId: this.sessions.get(t.name)!, lines: [{ lineId: line.lineId, quantity: left }], reason: 'Devolución doble' };
        return this.attempt(`refund on ${t.name}`, () => t.api('sales.refund', input));
      }),
    );
    this.log(`${a.name} and ${b.name} both refunded the rest of a line of ${code}`);
    return true;
  }

  /** The same product's price changed on two terminals at once (last writer wins by HLC, the loser logged). */
  async conflictingPrices(a: TerminalProcess, b: TerminalProcess): Promise<void> {
    const id = this.pick(this.products);
    await Promise.all(
      [a, b].map((t) => this.attempt(`price on ${t.name}`, () => t.api('products.changePrice', { id, price: 1_000 * (1 + Math.floor(this.random() * 90)) }))),
    );
  }
}

const centralCount = async (db: ReadDb, storeId: string) =>
  (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM events WHERE store_id = $1', [storeId]))[0]!.n;

/**
 * Rounds on every terminal process (`federation.syncNow`, the breaker reset by hand when the chaos opened it) until
 * every backlog is empty, no dead letter, and the central's count of the store's events stayed put across two whole
 * passes: every terminal's pull then saw everything the central holds.
 */
export async function settleProcesses(terminals: TerminalProcess[], central: ReadDb, storeId: string, ms = 150_000): Promise<void> {
  let stable = 0;
  const last = new Map<string, string>();
  await until(
    'every terminal process relayed everything and pulled what the central holds',
    async () => {
      const before = await centralCount(central, storeId);
      let clean = true;
      for (const t of terminals) {
        if ((await t.status()).breaker.state !== 'closed') await t.api('federation.resetBreaker', {});
        const status = await t.api('federation.syncNow', {});
        last.set(t.name, `backlog ${status.backlog}, ${status.online ? 'online' : 'offline'}, last error ${status.lastError}, dead letter ${JSON.stringify(status.deadLetter)}`);
        clean &&= status.backlog === 0 && status.deadLetter === null && status.online;
      }
      stable = clean && (await centralCount(central, storeId)) === before ? stable + 1 : 0;
      return stable >= 2;
    },
    ms,
    300,
  ).catch((error: Error) => {
    throw new Error(`${error.message}; ${[...last].map(([name, s]) => `${name}: ${s}`).join('; ')}`);
  });
}

/** Every acknowledged sale is held by this node, with the fiscal number its answer gave. */
export async function expectAcknowledged(db: ReadDb, who: string, storeId: string, acks: Ack[]): Promise<void> {
  const rows = await db.query<{ id: string; series: string | null; number: string | null }>(
    'SELECT id::text, fiscal_series AS series, fiscal_number::text AS number FROM sales WHERE store_id = $1',
    [storeId],
  );
  const held = new Map(rows.map((r) => [r.id, r.series === null ? null : `${r.series}.${r.number}`]));
  const lost = acks.filter((a) => !held.has(a.saleId));
  if (lost.length > 0) throw new Error(`${who} lacks ${lost.length} acknowledged sales, e.g. ${JSON.stringify(lost.slice(0, 3))}`);
  const renumbered = acks.filter((a) => held.get(a.saleId) !== (a.fiscal ? `${a.fiscal.series}.${a.fiscal.number}` : null));
  if (renumbered.length > 0) throw new Error(`${who} holds ${renumbered.length} acknowledged sales under another fiscal number, e.g. ${renumbered[0]!.saleId}`);
}

/** Waits until a push through this terminal's proxy is seen after `from` entries of its log. */
export const pushInFlight = (t: TerminalProcess, from: number) =>
  until(`a push from ${t.name}`, async () => t.proxy.log.slice(from).some((l) => l.path.startsWith('/fed/v1/push')), 30_000, 10);
