import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import { launchChromium, screenshotDir } from '../support/browser.js';
import { request } from '../support/node.js';
import { spawnNode, type NodeProcess } from '../support/process.js';
import { tempDir } from '../support/tmp.js';

/** The GS1 check digit, computed here on its own (not the code under test's): weights 3,1,3… from the right. */
const check = (body: string): string => {
  const sum = [...body].reverse().reduce((n, c, i) => n + Number(c) * (i % 2 === 0 ? 3 : 1), 0);
  return String((10 - (sum % 10)) % 10);
};
const ean = (body: string) => body + check(body);

const YERBA = ean('779000200001');
const AZUCAR = ean('779000200002');
const FIDEOS = ean('779000200003');
const QUESO_ITEM = '12345';
/** The store's own scale labels: prefix 23, five digits of item code, the weight in grams. */
const SCALE_PREFIX = { prefix: '23', kind: 'weight', itemCodeLength: 5, decimals: 3, priceCheckDigit: false } as const;
const scaleLabel = (item: string, grams: number) => ean(`23${item}${String(grams).padStart(5, '0')}`);

// Prices in centavos (ARS): 4.500,00 / 1.200,00 / 890,00 / 9.800,00 per kg.
const PRICE = { yerba: 450_000, azucar: 120_000, fideos: 89_000, queso: 980_000 };
const QUESO_GRAMS = 1_250;

/** "12.345,60" from centavos, as the es-AR screens print money. */
const ars = (cents: number): string => {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${sign}${whole},${String(abs % 100).padStart(2, '0')}`;
};
const digitsOf = (text: string | null): number => Number((text ?? '').replace(/[^\d-]/g, ''));

/**
 * A cashier's whole shift in Chromium against a real node (browser mode): the owner's first start, people and
 * products, the cashier's PIN, the float, scans at 1/10/40 ms per key with the search field focused, a person typing,
 * a scale label, a search, a discount a supervisor approves, split tender with change, a refund found by fiscal
 * number, a void, the blind close and the Z; every figure checked against what this test computes.
 */
describe('a cashier’s shift', () => {
  const tmp = tempDir('mostrador-e2e-shift-');
  const SECRET = randomBytes(24).toString('hex');
  const shots = path.join(screenshotDir(), 'shift');
  let node: NodeProcess;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  const ids: Record<string, string> = {};

  const api = async (method: string, input: unknown, opts: { command?: boolean; person?: string } = {}) => {
    const res = await request(`${node.url}/api/${method}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${SECRET}`,
        ...(opts.person ? { 'x-mostrador-person': opts.person } : {}),
      },
      body: JSON.stringify({ input, ...(opts.command ? { commandId: newId() } : {}) }),
    });
    if (res.status !== 200) throw new Error(`${method} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.result;
  };
  let n = 0;
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(shots, `${String(++n).padStart(2, '0')}-${name}.png`) });
  const lines = (page: Page) => page.getByTestId('cart-line');
  const quantities = async (page: Page) => (await page.getByTestId('line-quantity').allTextContents()).map((s) => s.trim());

  /** A scanner: keys `gapMs` apart (stamped by CDP as the OS stamps a real scanner's keys), then Enter. */
  async function scan(page: Page, code: string, gapMs: number) {
    const cdp = await page.context().newCDPSession(page);
    const start = Date.now() / 1000;
    const keys = [...code].map((c) => ({ key: c, text: c, code: `Digit${c}`, windowsVirtualKeyCode: c.charCodeAt(0) }));
    keys.push({ key: 'Enter', text: '\r', code: 'Enter', windowsVirtualKeyCode: 13 });
    await Promise.all(
      keys.flatMap((k, i) => {
        const timestamp = start + (i * gapMs) / 1000;
        return [
          cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...k, timestamp }),
          cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k.key, code: k.code, windowsVirtualKeyCode: k.windowsVirtualKeyCode, timestamp: timestamp + 0.0005 }),
        ];
      }),
    );
    await cdp.detach();
  }

  /** A person: 120–250 ms between keys (page.keyboard with a delay). */
  async function typeLikeAPerson(page: Page, text: string) {
    for (const [i, ch] of [...text].entries()) await page.keyboard.type(ch, { delay: 120 + ((i * 37) % 130) });
  }

  beforeAll(async () => {
    fs.rmSync(shots, { recursive: true, force: true });
    fs.mkdirSync(shots, { recursive: true });
    node = await spawnNode(tmp.dir, { MOSTRADOR_LAUNCH_SECRET: SECRET });
    chromium = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await chromium?.close();
    await node?.stop();
    tmp.remove();
  });

  it('runs from the owner’s first start to the Z, with every figure as computed here', { timeout: 600_000 }, async () => {
    const context = await chromium.browser.newContext({ locale: 'es-AR', viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    await page.goto(node.signInUrl);

    // 1. First start: the owner sets a password and signs in with it.
    await page.getByTestId('owner-setup').waitFor();
    await shot(page, 'first-start');
    await page.getByTestId('setup-name').fill('Ana Dueña');
    await page.getByTestId('setup-password').fill('clave del dueño');
    await page.getByTestId('setup-again').fill('clave del dueño');
    await page.getByTestId('setup-ok').click();
    await page.getByTestId('person-signin').waitFor();
    await page.getByTestId('tile-Ana Dueña').click();
    await page.getByTestId('password').fill('clave del dueño');
    await page.keyboard.press('Enter');
    await page.getByTestId('person-badge').waitFor();
    const directory = await api('users.directory', {});
    const ownerId = directory.users.find((u: { name: string }) => u.name === 'Ana Dueña').id;
    const owner = (await api('users.signIn', { userId: ownerId, password: 'clave del dueño' }, { command: true })).token as string;

    // 2. The owner adds a cashier and a supervisor with their PINs.
    await page.getByTestId('nav-users').click();
    await page.getByTestId('users-screen').waitFor();
    await page.getByTestId('new-person-name').fill('Beto Cajero');
    await page.getByTestId('person-role').selectOption('cashier');
    await page.getByTestId('person-secret').fill('1234');
    await page.getByTestId('person-save').click();
    await page.getByTestId('person-Beto Cajero').waitFor();
    // A supervisor signs in with a password and approves at the counter with a PIN.
    await page.getByTestId('new-person-name').fill('Sofía Supervisora');
    await page.getByTestId('person-role').selectOption('supervisor');
    await page.getByTestId('person-secret').fill('clave de sofía');
    await page.getByTestId('person-approval-pin').fill('4321');
    await page.getByTestId('person-save').click();
    await page.getByTestId('person-Sofía Supervisora').waitFor();
    await shot(page, 'users');

    // 3. The owner's products: three by unit through the API, the cheese by weight on the products screen; the
    //    store's own scale labels (prefix 23) in the settings.
    for (const [name, price, code, taxRateBp] of [
      ['Yerba Mate 1kg', PRICE.yerba, YERBA, 2100],
      ['Azúcar 1kg', PRICE.azucar, AZUCAR, 1050],
      ['Fideos Spaghetti 500g', PRICE.fideos, FIDEOS, 2100],
    ] as const) {
      ids[name] = (await api('products.create', { name, price, barcodes: [code], taxRateBp }, { command: true, person: owner })).id;
    }
    await page.getByTestId('nav-products').click();
    await page.getByTestId('products-screen').waitFor();
    await page.getByTestId('product-add').click();
    await page.getByTestId('product-name').fill('Queso Cremoso');
    await page.getByTestId('product-price').fill('9.800');
    await page.getByTestId('product-unit').selectOption('kg');
    await page.getByTestId('product-barcodes').fill(QUESO_ITEM);
    await shot(page, 'product-dialog');
    await page.getByTestId('product-submit').click();
    await page.getByTestId('product-dialog').waitFor({ state: 'detached' });
    await shot(page, 'products');
    const queso = (await api('products.list', { limit: 50 }, { person: owner })).items.find((p: { name: string }) => p.name === 'Queso Cremoso');
    expect(queso).toMatchObject({ price: PRICE.queso, unit: 'kg', barcodes: [QUESO_ITEM] });
    ids.Queso = queso.id;
    const defaults = (await api('settings.get', {}, { person: owner })).values;
    await api('settings.update', { changes: { scaleNomenclature: [...defaults.scaleNomenclature, SCALE_PREFIX] } }, { command: true, person: owner });
    const stockBefore = await stock(owner);

    // 4. The cashier signs in on the PIN pad, quick switch (the owner's till stays as it is).
    await page.getByTestId('switch-person').click();
    await page.getByTestId('tile-Beto Cajero').waitFor();
    await shot(page, 'tiles');
    await page.getByTestId('tile-Beto Cajero').click();
    await page.getByTestId('pinpad').waitFor();
    await shot(page, 'pinpad');
    for (const d of '1234') await page.getByTestId(`pin-${d}`).click();
    await page.getByTestId('pin-ok').click();
    await page.getByTestId('person-badge').waitFor();
    expect(await page.getByTestId('person-name').textContent()).toBe('Beto Cajero · Cajero');
    const cashierId = (await api('users.directory', {})).users.find((u: { name: string }) => u.name === 'Beto Cajero').id;
    const supervisorId = (await api('users.directory', {})).users.find((u: { name: string }) => u.name === 'Sofía Supervisora').id;
    const cashier = (await api('users.signIn', { userId: cashierId, pin: '1234' }, { command: true })).token as string;

    // 5. The till: a float counted by denomination (2 × 10.000, 5 × 1.000, 10 × 100 = 26.000,00).
    await page.goto(`${node.url}/#/till`);
    await page.getByTestId('till-screen').waitFor();
    await page.getByTestId('count-1000000').waitFor();
    await page.getByTestId('count-1000000').fill('2');
    await page.getByTestId('count-100000').fill('5');
    await page.getByTestId('count-10000').fill('10');
    const FLOAT = 2 * 1_000_000 + 5 * 100_000 + 10 * 10_000;
    expect(digitsOf(await page.getByTestId('count-total').textContent())).toBe(FLOAT);
    await shot(page, 'till-open-count');
    await page.getByTestId('count-submit').click();
    await page.getByTestId('till-open-since').waitFor();
    await shot(page, 'till-open');
    const session = (await api('cash.current', {}, { person: cashier })).session;
    expect(session.floatTotal).toBe(FLOAT);

    // 6. The checkout: scans at 1, 10 and 40 ms per key while the search field has focus.
    await page.goto(`${node.url}/#/checkout`);
    await page.getByTestId('checkout').waitFor();
    await expect.poll(() => page.getByTestId('catalog-state').getAttribute('data-state'), { timeout: 30_000 }).toBe('ready');
    await shot(page, 'checkout-empty');
    const search = page.getByTestId('pos-search');
    await search.focus();
    await scan(page, YERBA, 1);
    await expect.poll(() => lines(page).count()).toBe(1);
    await scan(page, AZUCAR, 10);
    await expect.poll(() => lines(page).count()).toBe(2);
    await scan(page, FIDEOS, 40);
    await expect.poll(() => lines(page).count()).toBe(3);
    expect(await search.inputValue()).toBe('');

    // A person typing "fideos" at 120–250 ms per key: the search gets it, no scan; Enter takes the first result.
    await typeLikeAPerson(page, 'fideos');
    await expect.poll(() => search.inputValue()).toBe('fideos');
    await page.getByTestId('search-result').first().waitFor();
    expect(await lines(page).count()).toBe(3);
    await shot(page, 'search');
    await page.keyboard.press('Enter');
    await expect.poll(() => quantities(page)).toEqual(['1', '1', '2']);

    // The scale label: 1,250 kg of cheese at 9.800,00 the kg = 12.250,00.
    await scan(page, scaleLabel(QUESO_ITEM, QUESO_GRAMS), 10);
    await expect.poll(() => quantities(page)).toEqual(['1', '1', '2', '1,250 kg']);
    const quesoAmount = Math.round((PRICE.queso * QUESO_GRAMS) / 1000);
    const gross = PRICE.yerba + PRICE.azucar + 2 * PRICE.fideos + quesoAmount;
    await expect.poll(() => page.getByTestId('ticket-total').textContent()).toContain(ars(gross));
    await shot(page, 'cart');

    // 7. A ticket discount of 3.000,00 (15 %, past the cashier's 10 %): the supervisor's PIN on this screen.
    const DISCOUNT = 300_000;
    await page.keyboard.press('F8');
    await page.getByTestId('discount-dialog').waitFor();
    await page.getByTestId('discount-ticket').check();
    await page.getByTestId('discount-input').fill('3.000');
    await shot(page, 'discount');
    await page.getByTestId('discount-ok').click();
    // The checkout asks with the users domain's approval dialog: the supervisor's tile, then the PIN pad.
    const approval = page.getByTestId('approval');
    await approval.waitFor();
    const tile = page.getByTestId('approver-Sofía Supervisora');
    if ((await tile.count()) > 0) await tile.click();
    for (const digit of '4321') await page.getByTestId(`pin-${digit}`).click();
    await shot(page, 'approve');
    await page.getByTestId('pin-ok').click();
    await approval.waitFor({ state: 'hidden' });
    const total1 = gross - DISCOUNT;
    await expect.poll(() => page.getByTestId('ticket-total').textContent()).toContain(ars(total1));
    await shot(page, 'discounted');

    // 8. Split tender: 10.000,00 by card, 10.000,00 in cash; the change shown large.
    const CARD = 1_000_000;
    const CASH_GIVEN = 1_000_000;
    const change1 = CARD + CASH_GIVEN - total1;
    await page.keyboard.press('F10');
    await page.getByTestId('payment-dialog').waitFor();
    expect(await page.getByTestId('pay-due').textContent()).toContain(ars(total1));
    await page.getByTestId('add-card').click();
    await page.getByTestId('tender-card').getByTestId('tender-amount').fill('10.000');
    await page.getByTestId('tender-card').getByTestId('tender-reference').fill('VISA 4242');
    await page.getByTestId('tender-cash').getByTestId('tender-amount').fill('10.000');
    await expect.poll(() => page.getByTestId('pay-change').textContent()).toContain(ars(change1));
    await shot(page, 'payment');
    const sold1Response = page.waitForResponse((r) => r.url().includes('/api/sales.complete'));
    await page.getByTestId('pay-confirm').click();
    await page.getByTestId('sale-done').waitFor();
    const sold1 = (await (await sold1Response).json()).result;
    expect(await page.getByTestId('sale-change').textContent()).toContain(ars(change1));
    expect(sold1.total).toBe(total1);
    expect(sold1.change).toBe(change1);
    await shot(page, 'sale-done');
    await page.getByTestId('sale-next').click();
    await page.getByTestId('payment-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => lines(page).count()).toBe(0);
    await shot(page, 'checkout-after-sale');

    // 9. A second sale, a yerba in exact cash, voided at once (the supervisor approves).
    await scan(page, YERBA, 10);
    await expect.poll(() => lines(page).count()).toBe(1);
    await page.keyboard.press('F10');
    await page.getByTestId('payment-dialog').waitFor();
    await page.getByTestId('tender-exact').click();
    const sold2Response = page.waitForResponse((r) => r.url().includes('/api/sales.complete'));
    await page.getByTestId('pay-confirm').click();
    await page.getByTestId('sale-done').waitFor();
    const sold2 = (await (await sold2Response).json()).result;
    expect(sold2.total).toBe(PRICE.yerba);
    expect(await page.getByTestId('sale-change').textContent()).toContain(ars(0));
    await page.getByTestId('sale-next').click();

    // 10. On the till screen: the second sale voided, found by its receipt's barcode (as a scanner types it).
    await page.goto(`${node.url}/#/till`);
    await page.getByTestId('returns-code').fill(sold2.receipt.barcode);
    await page.getByTestId('returns-find').click();
    await page.getByTestId('returns-sale').waitFor();
    await page.getByTestId('returns-reason').fill('cliente se arrepintió');
    await shot(page, 'void-found');
    await page.getByTestId('returns-void').click();
    await approve(page, 'void');
    await expect.poll(() => page.getByTestId('returns-done').textContent()).toContain(ars(PRICE.yerba));
    expect((await api('sales.find', { code: sold2.saleId }, { person: cashier })).status).toBe('voided');

    // 11. The sugar of the first sale comes back: found by its fiscal number as printed, refunded in cash, restocked.
    await page.getByTestId('returns-code').fill(`${sold1.fiscal.series} ${sold1.fiscal.number}`);
    await page.getByTestId('returns-find').click();
    await page.getByTestId('returns-sale').waitFor();
    const found = await api('sales.find', { code: `${sold1.fiscal.series}.${sold1.fiscal.number}` }, { person: cashier });
    const sugar = found.lines.find((l: { productId: string }) => l.productId === ids['Azúcar 1kg']);
    // The ticket discount is shared by the lines: their nets add up to what was paid.
    expect(found.lines.reduce((s: number, l: { net: number }) => s + l.net, 0)).toBe(total1);
    const sugarRow = page.getByTestId('returns-line').filter({ hasText: 'Azúcar 1kg' });
    await sugarRow.getByTestId('returns-qty').fill('1');
    await page.getByTestId('returns-cash').check();
    await page.getByTestId('returns-reason').fill('vino abierto');
    await shot(page, 'refund-found');
    await page.getByTestId('returns-refund').click();
    await approve(page, 'refund');
    await expect.poll(() => page.getByTestId('returns-done').textContent()).toContain(ars(sugar.net));
    await shot(page, 'refund-done');
    const refund = { total: sugar.net as number };
    // Never more than was sold: the same sale again shows nothing left of the sugar, and the API refuses it.
    await page.getByTestId('returns-code').fill(sold1.receipt.barcode);
    await page.getByTestId('returns-find').click();
    await expect.poll(() => sugarRow.getByTestId('returns-left').textContent()).toBe('0');
    expect(await sugarRow.getByTestId('returns-qty').isDisabled()).toBe(true);
    const again = (await api('users.approve', { supervisorId, action: 'refund', pin: '4321' }, { command: true, person: cashier })).approvalId;
    await expect(
      api('sales.refund', { saleId: found.saleId, tillSessionId: session.id, lines: [{ lineId: sugar.lineId, quantity: 1000, restock: true }], refundTo: 'cash', reason: 'otra vez', approvalId: again }, { command: true, person: cashier }),
    ).rejects.toThrow(/→ 4\d\d/);

    // Stock: each product down by what was sold and kept (the void and the refund put theirs back).
    const stockAfter = await stock(owner);
    expect(stockAfter[ids['Yerba Mate 1kg']!]! - stockBefore[ids['Yerba Mate 1kg']!]!).toBe(-1000);
    expect(stockAfter[ids['Azúcar 1kg']!]! - stockBefore[ids['Azúcar 1kg']!]!).toBe(0);
    expect(stockAfter[ids['Fideos Spaghetti 500g']!]! - stockBefore[ids['Fideos Spaghetti 500g']!]!).toBe(-2000);
    expect(stockAfter[ids.Queso!]! - stockBefore[ids.Queso!]!).toBe(-QUESO_GRAMS);

    // 12. X, then close with a blind count: the cashier counts without seeing what is expected.
    await page.getByTestId('till-x').click();
    await page.getByTestId('report-X').waitFor();
    await shot(page, 'x-report');
    const cashExpected = FLOAT + (CASH_GIVEN - change1) - refund.total;
    expect(digitsOf(await page.getByTestId('report-row-cash').locator('td').nth(3).textContent())).toBe(cashExpected);
    await page.getByTestId('till-close').click();
    await page.getByTestId('count-1000000').waitFor();
    expect(await page.getByTestId('till-screen').textContent()).not.toContain(ars(cashExpected));
    // The drawer, counted by note: whole pesos, the cents short (a small shortfall, under the threshold).
    let left = cashExpected - (cashExpected % 100);
    const denominations = [2_000_000, 1_000_000, 200_000, 100_000, 50_000, 20_000, 10_000, 5_000, 2_000, 1_000, 500, 200, 100];
    for (const d of denominations) {
      const pieces = Math.floor(left / d);
      left -= pieces * d;
      if (pieces > 0) await page.getByTestId(`count-${d}`).fill(String(pieces));
    }
    const counted = cashExpected - (cashExpected % 100);
    expect(digitsOf(await page.getByTestId('count-total').textContent())).toBe(counted);
    await page.getByTestId('close-card').fill('10.000');
    await shot(page, 'close-count');
    await page.getByTestId('count-submit').click();

    // 13. The Z: expected vs counted per tender, the over/short.
    await page.getByTestId('report-Z').waitFor();
    await shot(page, 'z-report');
    const cells = async (kind: string) => (await page.getByTestId(`report-row-${kind}`).locator('td').allTextContents()).map(digitsOf);
    const [, , , cashExp, cashCounted, cashOverShort] = await cells('cash');
    expect([cashExp, cashCounted, cashOverShort]).toEqual([cashExpected, counted, counted - cashExpected]);
    const [, cardSales, , cardExp, cardCounted, cardOverShort] = await cells('card');
    expect([cardSales, cardExp, cardCounted, cardOverShort]).toEqual([CARD, CARD, CARD, 0]);
    // The numbered Z as the owner reads it later: all tenders together.
    const [z] = (await api('cash.zList', {}, { person: owner })).items;
    expect(z).toMatchObject({ tillSessionId: session.id, zNumber: 1, cashierId, expected: cashExpected + CARD, counted: counted + CARD, overShort: counted - cashExpected });

    // Wide screen too.
    await page.setViewportSize({ width: 1920, height: 1080 });
    await shot(page, 'z-report-1920');
    await context.close();
  });

  /** The supervisor types her PIN on the cashier's screen for one action. */
  async function approve(page: Page, action: string) {
    await page.getByTestId('approve-dialog').waitFor();
    expect(await page.getByTestId('approve-dialog').textContent()).toMatch(action === 'void' ? /Anular una venta/ : action === 'refund' ? /devolución/ : /./);
    await page.getByTestId('approve-who').selectOption({ label: 'Sofía Supervisora' });
    await page.getByTestId('approve-pin').fill('4321');
    await page.getByTestId('approve-ok').click();
    await page.getByTestId('approve-dialog').waitFor({ state: 'detached' });
  }

  async function stock(person: string): Promise<Record<string, number>> {
    const levels = await api('stock.levels', { productIds: Object.values(ids) }, { person });
    const out: Record<string, number> = Object.fromEntries(Object.values(ids).map((id) => [id, 0]));
    for (const l of levels.items as { productId: string; quantity: number }[]) out[l.productId] = (out[l.productId] ?? 0) + l.quantity;
    return out;
  }
});
