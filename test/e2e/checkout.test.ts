import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_NOMENCLATURE, gs1CheckDigit, makeScaleLabel } from '../../shared/barcodes.js';
import { newId } from '../../shared/ids.js';
import { launchChromium, screenshotDir } from '../support/browser.js';
import { request } from '../support/node.js';
import { spawnNode, type NodeProcess } from '../support/process.js';
import { tempDir } from '../support/tmp.js';

const ean = (body: string) => body + String(gs1CheckDigit(body));
const YERBA = ean('779000100001');
const AZUCAR = ean('779000100002');
const FIDEOS = ean('779000100003');
const QUESO_ITEM = '12345';

/**
 * The checkout in Chromium against a real node: scans as keyboard bursts at 1, 10 and 40 ms per key land in the cart
 * while the search field has focus, and none of their characters in the field; human typing at 120–250 ms per key
 * goes to the field and is not a scan; an AZERTY scanner's shifted digits are read right; a weighed scale label;
 * the open ticket survives reloads.
 */
describe('the checkout', () => {
  const tmp = tempDir('mostrador-e2e-checkout-');
  const SECRET = randomBytes(24).toString('hex');
  let node: NodeProcess;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  /** One signed-in browser for both tests: the sign-in link's code works once. */
  let context: BrowserContext;

  const api = async (method: string, input: unknown, command = false) => {
    const res = await request(`${node.url}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
      body: JSON.stringify({ input, ...(command ? { commandId: newId() } : {}) }),
    });
    if (res.status !== 200) throw new Error(`${method} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.result;
  };
  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshotDir(), `checkout-${name}.png`) });
  const lines = (page: Page) => page.getByTestId('cart-line');
  const quantities = async (page: Page) => (await page.getByTestId('line-quantity').allTextContents()).map((s) => s.trim());

  /**
   * A scanner: the code's keys `gapMs` apart, then Enter. Sent through CDP with the time each key happened (as the
   * OS stamps a real scanner's keys), so that a loaded test machine's delays do not stretch a 40 ms burst past the
   * threshold; `layout` maps a digit to the character an AZERTY keyboard makes on that key.
   */
  async function scan(page: Page, code: string, gapMs: number, layout: Record<string, string> = {}) {
    const cdp = await page.context().newCDPSession(page);
    const start = Date.now() / 1000;
    const keys = [...code].map((c) => {
      const digit = /[0-9]/.test(c);
      const key = layout[c] ?? c;
      return { key, text: key, code: digit ? `Digit${c}` : `Key${c.toUpperCase()}`, windowsVirtualKeyCode: c.toUpperCase().charCodeAt(0) };
    });
    keys.push({ key: 'Enter', text: '\r', code: 'Enter', windowsVirtualKeyCode: 13 });
    // Sent without waiting for each answer (CDP keeps their order): the keys reach the page as one burst, as a
    // scanner's do, not one CDP round trip apart.
    const sent = keys.flatMap((k, i) => {
      const timestamp = start + (i * gapMs) / 1000;
      return [
        cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', ...k, timestamp }),
        cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: k.key, code: k.code, windowsVirtualKeyCode: k.windowsVirtualKeyCode, timestamp: timestamp + 0.0005 }),
      ];
    });
    await Promise.all(sent);
    await cdp.detach();
  }

  /** A person: 120–250 ms between keys. */
  async function typeLikeAPerson(page: Page, text: string) {
    for (const [i, ch] of [...text].entries()) {
      await page.keyboard.type(ch);
      await page.waitForTimeout(120 + ((i * 37) % 130));
    }
  }

  beforeAll(async () => {
    node = await spawnNode(tmp.dir, { MOSTRADOR_LAUNCH_SECRET: SECRET });
    chromium = await launchChromium();
    await api('products.create', { name: 'Yerba Mate 1kg', price: 450000, barcodes: [YERBA], taxRateBp: 2100 }, true);
    await api('products.create', { name: 'Azúcar 1kg', price: 120000, barcodes: [AZUCAR], taxRateBp: 1050 }, true);
    await api('products.create', { name: 'Fideos Spaghetti 500g', price: 89000, barcodes: [FIDEOS], taxRateBp: 2100 }, true);
    await api('products.create', { name: 'Queso Cremoso', price: 980000, barcodes: [QUESO_ITEM], unit: 'kg', taxRateBp: 2100 }, true);
    context = await chromium.browser.newContext({ locale: 'es-AR', viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    await page.goto(node.signInUrl);
    await page.getByTestId('link-state').waitFor();
    await page.close();
  }, 120_000);
  afterAll(async () => {
    await context?.close();
    await chromium?.close();
    await node?.stop();
    tmp.remove();
  });

  it('takes scans whatever has focus, leaves typing to the field, and keeps the ticket across reloads', { timeout: 240_000 }, async () => {
    const page = await context.newPage();
    await page.goto(`${node.url}/#/checkout`);
    await page.getByTestId('checkout').waitFor();
    await expect.poll(() => page.getByTestId('catalog-state').getAttribute('data-state'), { timeout: 20_000 }).toBe('ready');
    await shot(page, 'empty-1024');

    // The search field has focus while the scanner fires: the scans go to the cart, not into the field.
    const search = page.getByTestId('pos-search');
    await search.focus();
    await scan(page, YERBA, 1);
    await expect.poll(() => lines(page).count()).toBe(1);
    await scan(page, AZUCAR, 10);
    await expect.poll(() => lines(page).count()).toBe(2);
    await scan(page, FIDEOS, 40);
    await expect.poll(() => lines(page).count()).toBe(3);
    expect(await search.inputValue()).toBe('');
    await expect.poll(() => page.evaluate('document.activeElement?.id')).toBe('pos-search');

    // The same product again: one more on its line (the store merges repeat scans by default).
    await scan(page, YERBA, 10);
    await expect.poll(() => quantities(page)).toEqual(['2', '1', '1']);

    // A person typing in the search field at 120–250 ms per key: the text is theirs, no line is added.
    await typeLikeAPerson(page, 'fideos');
    await expect.poll(() => search.inputValue()).toBe('fideos');
    await page.getByTestId('search-result').first().waitFor();
    await shot(page, 'search-1024');
    expect(await lines(page).count()).toBe(3);
    await page.keyboard.press('Enter');
    await expect.poll(() => quantities(page)).toEqual(['2', '1', '2']);
    expect(await search.inputValue()).toBe('');

    // A scanner on an AZERTY keyboard sends the keys of "&é\"'(-è_çà" for digits: read by key position.
    const azerty: Record<string, string> = { '0': 'à', '1': '&', '2': 'é', '3': '"', '4': "'", '5': '(', '6': '-', '7': 'è', '8': '_', '9': 'ç' };
    await scan(page, AZUCAR, 10, azerty);
    await expect.poll(() => quantities(page)).toEqual(['2', '2', '2']);
    expect(await search.inputValue()).toBe('');

    // A weighed scale label (prefix 20, item code 12345, 1.250 kg): its own line, by weight.
    const label = makeScaleLabel(DEFAULT_NOMENCLATURE[0]!, QUESO_ITEM, 1250);
    await page.locator('body').click({ position: { x: 5, y: 740 } });
    await scan(page, label, 10);
    await expect.poll(() => quantities(page)).toEqual(['2', '2', '2', '1,250 kg']);
    await expect(page.getByTestId('ticket-total').textContent()).resolves.toMatch(/25\.430,00/);
    await shot(page, 'cart-1024');

    // Saved within a fraction of a second; a reload restores it.
    await expect.poll(() => page.getByTestId('save-state').getAttribute('data-state')).toBe('saved');
    await page.reload();
    await expect.poll(() => quantities(page), { timeout: 20_000 }).toEqual(['2', '2', '2', '1,250 kg']);

    // A change and a reload at once (inside the 150 ms debounce): the page flushes it as it goes.
    await page.getByTestId('checkout').waitFor();
    await expect.poll(() => page.getByTestId('catalog-state').getAttribute('data-state'), { timeout: 20_000 }).toBe('ready');
    await scan(page, FIDEOS, 1);
    await expect.poll(() => quantities(page)).toEqual(['2', '2', '3', '1,250 kg']);
    await page.reload();
    await expect
      .poll(async () => ((await api('tickets.list', {})).tickets[0]?.lines ?? []).map((l: { quantity: number }) => l.quantity), { timeout: 10_000 })
      .toEqual([2000, 2000, 3000, 1250]);
    await page.reload();
    await expect.poll(() => quantities(page), { timeout: 20_000 }).toEqual(['2', '2', '3', '1,250 kg']);

    // Park it, sell nothing, resume it.
    await page.keyboard.press('F12');
    await page.getByTestId('park-label').fill('Señora del perro');
    await page.getByTestId('park-ok').click();
    await expect.poll(() => lines(page).count()).toBe(0);
    await expect.poll(() => page.getByTestId('save-state').getAttribute('data-state')).toBe('saved');
    await page.reload();
    await page.getByTestId('checkout').waitFor();
    await expect.poll(() => page.getByTestId('key-resume').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.keyboard.press('F11');
    await page.getByTestId('resume-dialog').waitFor();
    await shot(page, 'resume-1024');
    await page.getByTestId('resume-ticket').first().click();
    await expect.poll(() => lines(page).count()).toBe(4);

    // Wide screen.
    await page.setViewportSize({ width: 1920, height: 1080 });
    await shot(page, 'cart-1920');
    await page.close();
  });

  it('opens the till, takes a split payment with change, and closes with a blind count and a Z', { timeout: 240_000 }, async () => {
    const page = await context.newPage();

    // Open the till: 2 notes of 1.000 and 5 of 100 as the float.
    await page.goto(`${node.url}/#/till`);
    await page.getByTestId('till-screen').waitFor();
    await page.getByTestId('count-100000').fill('2');
    await page.getByTestId('count-10000').fill('5');
    await expect.poll(() => page.getByTestId('count-total').textContent()).toMatch(/2\.500,00/);
    await shot(page, 'till-open-1024');
    await page.getByTestId('count-submit').click();
    await page.getByTestId('till-open-since').waitFor();

    // Sell: the ticket kept from the first test is restored; pay 1.000 by card and the rest in cash, with change.
    await page.goto(`${node.url}/#/checkout`);
    await expect.poll(() => page.getByTestId('catalog-state').getAttribute('data-state'), { timeout: 20_000 }).toBe('ready');
    await expect.poll(() => page.getByTestId('strip-till').getAttribute('data-open')).toBe('true');
    if ((await lines(page).count()) === 0) await scan(page, YERBA, 5);
    await expect.poll(() => lines(page).count()).toBeGreaterThan(0);
    const total = (await page.getByTestId('ticket-total').textContent()) ?? '';
    await page.keyboard.press('F10');
    await page.getByTestId('payment-dialog').waitFor();
    await page.getByTestId('add-card').click();
    await page.getByTestId('tender-card').getByTestId('tender-amount').fill('1000');
    await page.getByTestId('tender-card').getByTestId('tender-reference').fill('CUPON 123');
    await page.getByTestId('tender-cash').getByTestId('tender-amount').fill('100');
    await expect.poll(() => page.getByTestId('pay-state').getAttribute('data-ok')).toBe('false');
    await expect(page.getByTestId('pay-confirm').isDisabled()).resolves.toBe(true);
    await page.getByTestId('tender-cash').getByTestId('tender-amount').fill('50000');
    await expect.poll(() => page.getByTestId('pay-state').getAttribute('data-ok')).toBe('true');
    await shot(page, 'payment-1024');
    // A double click is one sale: the button is disabled while the command is in flight, and the id is kept.
    await page.getByTestId('pay-confirm').dblclick();
    await page.getByTestId('sale-done').waitFor({ timeout: 20_000 });
    const change = (await page.getByTestId('sale-change').textContent()) ?? '';
    expect(change).toMatch(/\$/);
    await shot(page, 'sale-done-1024');
    expect(total).toMatch(/\$/);
    await page.getByTestId('sale-next').click();
    await expect.poll(() => lines(page).count()).toBe(0);
    const sales = await api('cash.x', {});
    expect(sales.counts.sales).toBe(1);

    // Close: a blind count (the expected figure is not on screen), then the Z.
    await page.goto(`${node.url}/#/till`);
    await page.getByTestId('till-close').click();
    expect(await page.getByText(/Esperado/).count()).toBe(0);
    await page.getByTestId('count-100000').fill('2');
    await shot(page, 'till-close-1024');
    await page.getByTestId('count-submit').click();
    await page.getByTestId('report-Z').waitFor({ timeout: 20_000 });
    await shot(page, 'till-z-1024');
    await page.close();
  });
});
