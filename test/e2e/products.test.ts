import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotDir } from '../support/browser.js';
import { request } from '../support/node.js';
import { spawnNode, type NodeProcess } from '../support/process.js';
import { tempDir } from '../support/tmp.js';

/** Products in two windows of one signed-in browser: add, pushed to the other window, re-price, duplicates, double submit. */
describe('products in two windows', () => {
  const tmp = tempDir('mostrador-e2e-products-');
  const SECRET = randomBytes(24).toString('hex');
  let node: NodeProcess;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;

  const api = async (method: string, input: unknown) => {
    const res = await request(`${node.url}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
      body: JSON.stringify({ input }),
    });
    if (res.status !== 200) throw new Error(`${method} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.result;
  };
  const allProducts = async (): Promise<{ id: string; name: string; price: number; barcodes: string[] }[]> => (await api('products.list', { limit: 500 })).items;
  const row = (page: Page, name: string) => page.getByTestId('product-row').filter({ has: page.getByTestId('product-row-name').getByText(name, { exact: true }) });
  const rowNames = async (page: Page) => (await page.getByTestId('product-row-name').allTextContents()).map((s) => s.trim());

  beforeAll(async () => {
    node = await spawnNode(tmp.dir, { MOSTRADOR_LAUNCH_SECRET: SECRET });
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
    await node?.stop();
    tmp.remove();
  });

  it('adds, pushes, re-prices, refuses a duplicate barcode and blocks a double submit', { timeout: 120_000 }, async () => {
    const context = await chromium.browser.newContext({ locale: 'es-AR', viewport: { width: 1200, height: 800 } });
    const one = await context.newPage();
    await one.goto(node.signInUrl);
    await expect.poll(() => one.url()).not.toContain('code=');
    await one.getByTestId('nav-products').click();
    await one.getByTestId('products-screen').waitFor();
    expect(one.url()).toContain('#/products');

    const two = await context.newPage();
    await two.goto(`${node.url}/#/products`);
    await two.getByTestId('products-screen').waitFor();
    await expect.poll(() => two.getByTestId('link-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('live');
    await expect.poll(() => one.getByTestId('link-state').getAttribute('data-state'), { timeout: 10_000 }).toBe('live');
    // A marker that a reload would wipe: whatever window two shows next came by push, not by reloading.
    await two.evaluate('window.__noReload = 42');
    expect(await allProducts()).toEqual([]);

    // 1. Add in window one.
    const name = 'Yerba Mate Playadito 1kg';
    await one.getByTestId('product-add').click();
    await one.getByTestId('product-name').fill(name);
    await one.getByTestId('product-price').fill('1.234,50');
    await one.getByTestId('product-barcodes').fill('7790387000011');
    await one.getByTestId('product-submit').click();
    await one.getByTestId('product-dialog').waitFor({ state: 'detached' });
    await row(one, name).waitFor();
    expect(await row(one, name).getByTestId('product-row-price').textContent()).toMatch(/1\.234,50/);
    const [created] = await allProducts();
    expect(created).toMatchObject({ name, price: 123450, barcodes: ['7790387000011'] });

    // 2. It shows up in window two without a reload.
    await row(two, name).waitFor({ timeout: 10_000 });
    expect(await row(two, name).getByTestId('product-row-price').textContent()).toMatch(/1\.234,50/);
    expect(await two.evaluate('window.__noReload')).toBe(42);

    // 3. Change its price in window two; window one follows.
    await one.evaluate('window.__noReload = 7');
    await row(two, name).getByTestId('product-change-price').click();
    await two.getByTestId('price-new').fill('1.500');
    await two.getByTestId('price-submit').click();
    await two.getByTestId('price-dialog').waitFor({ state: 'detached' });
    await expect.poll(() => row(two, name).getByTestId('product-row-price').textContent()).toMatch(/1\.500,00/);
    await expect.poll(() => row(one, name).getByTestId('product-row-price').textContent(), { timeout: 10_000 }).toMatch(/1\.500,00/);
    expect(await one.evaluate('window.__noReload')).toBe(7);
    expect((await api('products.get', { id: created!.id })).price).toBe(150000);

    // 4. A duplicate barcode in window one: a readable error, nothing added.
    await one.getByTestId('product-add').click();
    await one.getByTestId('product-name').fill('Yerba copia');
    await one.getByTestId('product-price').fill('10');
    await one.getByTestId('product-barcodes').fill('7790387000011');
    await one.getByTestId('product-submit').click();
    const error = one.getByTestId('product-error');
    await error.waitFor();
    const errorText = (await error.textContent()) ?? '';
    expect(errorText).toContain('7790387000011');
    expect(errorText).toContain(name); // says which product already has it
    expect(errorText).toContain('ya es de'); // in the language of the screens (Spanish first)
    expect(errorText).not.toMatch(/Conflict|undefined|\[object|Error:/);
    await one.screenshot({ path: path.join(screenshotDir(), 'products-duplicate-barcode.png') });
    expect((await allProducts()).map((p) => p.name)).toEqual([name]);
    await one.getByTestId('product-cancel').click();
    await one.getByTestId('product-dialog').waitFor({ state: 'detached' });
    expect(await rowNames(one)).toEqual([name]);

    // 5. Double submit: two clicks in the same tick (before React can disable the button), then a real dblclick.
    for (const [label, clickTwice] of [
      [
        'same tick',
        (p: Page) =>
          p.evaluate(`{
            const b = document.querySelector('[data-testid="product-submit"]');
            b.click();
            b.click();
          }`),
      ],
      ['dblclick', (p: Page) => p.getByTestId('product-submit').dblclick()],
    ] as const) {
      const doubled = `Doble clic ${label}`;
      await one.getByTestId('product-add').click();
      await one.getByTestId('product-name').fill(doubled);
      await one.getByTestId('product-price').fill('5');
      await clickTwice(one);
      await one.getByTestId('product-dialog').waitFor({ state: 'detached' });
      await row(two, doubled).waitFor({ timeout: 10_000 });
      await new Promise((r) => setTimeout(r, 500)); // room for a late second create to land
      const matches = (await allProducts()).filter((p) => p.name === doubled);
      expect(matches, `${label}: exactly one product`).toHaveLength(1);
      expect(matches[0]!.price).toBe(500);
      expect((await rowNames(one)).filter((n) => n === doubled), `${label}: one row in window one`).toHaveLength(1);
      expect((await rowNames(two)).filter((n) => n === doubled), `${label}: one row in window two`).toHaveLength(1);
    }
    expect(await allProducts()).toHaveLength(3);

    await one.screenshot({ path: path.join(screenshotDir(), 'products-window-1.png') });
    await two.screenshot({ path: path.join(screenshotDir(), 'products-window-2.png') });
    expect(await two.evaluate('window.__noReload')).toBe(42);
    await context.close();
  });
});
