import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contract, type MethodName } from '../../shared/contract/index.js';
import type { EventDraft } from '../../shared/events.js';
import { newId } from '../../shared/ids.js';
import { route } from '../../node/domains.js';
import { emptyHead, sealEvents } from '../../node/journal/chain.js';
import { applyRemoteEvents } from '../../node/journal/remote.js';
import { wireDomains } from '../../node/dispatch.js';
import { openDataDir, type OpenStore } from '../../node/runtime/open.js';
import { launchChromium, screenshotDir } from '../support/browser.js';
import { commandCall, queryCall } from '../support/calls.js';
import { spawnNode, type NodeProcess } from '../support/process.js';
import { tempDir } from '../support/tmp.js';

/**
 * The owner's home when another terminal, offline, refunded a sale of this one past what was sold: the over-refund is
 * listed in words (what was sold, what each terminal gave back, how much too many). The data folder is written in this
 * process (the sale, a refund, the other terminal's refund through remote apply), then served by the built node.
 */
describe("an over-refund on the owner's home", () => {
  const tmp = tempDir('mostrador-e2e-anomalies-');
  let store: OpenStore;
  let node: NodeProcess | undefined;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    store = await openDataDir(tmp.dir);
    chromium = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await chromium?.close();
    await node?.stop();
    tmp.remove();
  });

  const call = (method: MethodName, input: unknown) => {
    const { handlers, own } = wireDomains(store, { status: () => Promise.reject(new Error('not used')) });
    const spec = contract[method] as { kind?: string; input: { parse(x: unknown): unknown } };
    const run = (handlers as unknown as Record<string, (input: unknown, call: unknown) => Promise<any>>)[method]!;
    return run(spec.input.parse(input), spec.kind === 'query' ? queryCall(own) : commandCall(own));
  };

  it('lists it with the sale, the line, sold against refunded and both refunds', async () => {
    const yerba = await call('products.create', { name: 'Yerba 1kg', price: 250_000, taxRateBp: 2100 });
    const till = await call('cash.open', { float: [{ denomination: 100_000, count: 5 }] });
    const sale = await call('sales.complete', { tillSessionId: till.id, lines: [{ productId: yerba.id, quantity: 2_000 }], tenders: [{ kind: 'cash', received: 500_000 }] });
    const line = (await call('sales.find', { code: sale.saleId })).lines[0];
    await call('sales.refund', { saleId: sale.saleId, tillSessionId: till.id, lines: [{ lineId: line.lineId, quantity: 2_000 }], refundTo: 'cash', reason: 'vencida' });
    const other = newId();
    const draft: EventDraft = {
      type: 'SaleRefunded',
      payload: {
        refundId: newId(),
        saleId: sale.saleId,
        tillSessionId: newId(),
        lines: [{ lineId: line.lineId, productId: yerba.id, quantity: 1_000, amount: 250_000, restock: true, location: 'store' }],
        total: 250_000,
        taxes: [{ rateBp: 2100, base: 206_612, tax: 43_388 }],
        tenders: [{ kind: 'cash', amount: 250_000, reference: null }],
        creditNote: null,
        reason: 'roto',
        approval: null,
      },
    };
    const { events } = sealEvents(emptyHead(other), [draft], { storeId: store.identity.storeId, deviceId: other, commandId: newId(), actorId: 'cajero', now: new Date(), newId });
    expect(await applyRemoteEvents(store.db, { storeId: store.identity.storeId, deviceId: store.identity.deviceId, mode: 'remote' }, events, route)).toMatchObject({ applied: 1, parked: [] });

    const deviceId = store.identity.deviceId;
    await store.close();
    node = await spawnNode(tmp.dir);

    const context = await chromium.browser.newContext({ locale: 'es-AR' });
    const page = await context.newPage();
    await page.goto(node.signInUrl);
    await page.getByTestId('anomaly').waitFor({ timeout: 30_000 });
    const text = ((await page.getByTestId('anomalies').textContent()) ?? '').replace(/\u00a0/g, ' ');
    expect(text).toContain('Devoluciones de más');
    expect(text).toContain(`Venta ${sale.fiscal.series} N.º ${sale.fiscal.number}`);
    expect(text).toContain('Yerba 1kg: se vendió 2 por $ 5.000,00 y se devolvió 3 por $ 7.500,00: 1 de más ($ 2.500,00).');
    expect(text).toContain(`en la caja …${other.slice(-4)}`);
    expect(text).toContain(`en la caja …${deviceId.slice(-4)}`);
    await page.getByTestId('anomalies').screenshot({ path: path.join(screenshotDir(), 'home-anomalies.png') });
    await context.close();
  }, 120_000);
});
