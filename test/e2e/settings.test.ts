import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotDir } from '../support/browser.js';
import { request } from '../support/node.js';
import { spawnNode, type NodeProcess } from '../support/process.js';
import { tempDir } from '../support/tmp.js';

/** The owner edits the counter settings in the back office; the receipt preview follows and prints alone. */
describe('settings screen and receipt preview', () => {
  const tmp = tempDir('mostrador-e2e-settings-');
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

  beforeAll(async () => {
    node = await spawnNode(tmp.dir, { MOSTRADOR_LAUNCH_SECRET: SECRET });
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
    await node?.stop();
    tmp.remove();
  });

  it('saves what the owner changed, refuses a bad value by its field, and shows the receipt at 58 and 80 mm', { timeout: 120_000 }, async () => {
    const context = await chromium.browser.newContext({ locale: 'es-AR', viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    const shots = screenshotDir();
    await page.goto(node.signInUrl);
    await expect.poll(() => page.url()).not.toContain('code=');
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings-section-store').waitFor();
    expect(await page.getByTestId('settings-submit').isDisabled()).toBe(true);
    await page.screenshot({ path: path.join(shots, 'settings-screen.png'), fullPage: true });

    // A bad value is refused next to its field, and nothing is saved.
    await page.getByTestId('settings-fiscalTicket').fill('B 0001');
    await page.getByTestId('settings-submit').click();
    await page.getByTestId('settings-fiscalTicket-issue').waitFor();
    expect(await page.getByTestId('settings-fiscalTicket-issue').textContent()).toMatch(/serie fiscal/i);
    expect((await api('settings.get', {})).changed.fiscalSeries).toBeNull();
    await page.getByTestId('settings-fiscalTicket').fill('B-0002');

    await page.getByTestId('settings-storeName').fill('Almacén Don José');
    await page.getByTestId('settings-receiptHeader').fill('Av. Siempreviva 742\nCUIT 20-12345678-9');
    await page.getByTestId('settings-receiptFooter').fill('¡Gracias por su compra!\nCambios dentro de los 30 días');
    await page.getByTestId('settings-mergeRepeatScans').uncheck();
    await page.getByTestId('settings-prefix-add').click();
    await page.getByTestId('settings-submit').click();
    await page.getByTestId('settings-saved').waitFor();

    const saved = await api('settings.get', {});
    expect(saved.values).toMatchObject({
      storeName: 'Almacén Don José',
      receiptHeader: ['Av. Siempreviva 742', 'CUIT 20-12345678-9'],
      receiptFooter: ['¡Gracias por su compra!', 'Cambios dentro de los 30 días'],
      mergeRepeatScans: false,
      fiscalSeries: { ticket: 'B-0002', creditNote: 'NC-0001' },
    });
    expect(saved.values.scaleNomenclature).toHaveLength(3);
    expect(saved.changed.taxRates).toBeNull();

    const preview = page.getByTestId('receipt-80');
    expect(await preview.textContent()).toContain('Almacén Don José');
    expect(await page.getByTestId('receipt-barcode').getAttribute('aria-label')).toBe('V-0001-00001234');
    await preview.screenshot({ path: path.join(shots, 'receipt-80mm.png') });
    await page.getByTestId('settings-preview-paper').selectOption('58');
    const narrow = page.getByTestId('receipt-58');
    await narrow.waitFor();
    await narrow.screenshot({ path: path.join(shots, 'receipt-58mm.png') });
    // The 58 mm receipt is its printable width: 48 mm at 96 dpi, padding aside.
    const width = await narrow.evaluate((el: { clientWidth: number }) => el.clientWidth);
    expect(Math.abs(width - (58 * 96) / 25.4)).toBeLessThan(3);

    // Printing shows the receipt alone, on a page of its size.
    await page.evaluate('window.print = () => undefined');
    await page.getByTestId('settings-preview-print').click();
    await page.emulateMedia({ media: 'print' });
    // Runs in the page (this file is typed without the DOM).
    type Styles = { getComputedStyle(el: object): { visibility: string } };
    const visibility = (el: object) => (globalThis as unknown as Styles).getComputedStyle(el).visibility;
    expect(await page.getByTestId('settings-section-store').evaluate(visibility)).toBe('hidden');
    expect(await narrow.evaluate(visibility)).toBe('visible');
    expect(await page.locator('#receipt-page-size').textContent()).toMatch(/@page \{ size: 58mm \d+mm; margin: 0; \}/);
    // The page is scrolled down to the preview's button; a printed page starts at the document's top.
    await page.evaluate('window.scrollTo(0, 0)');
    const box = await narrow.boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0 });
    expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(255, 255, 255)');
    await page.screenshot({ path: path.join(shots, 'receipt-print.png') });
    await context.close();
  });
});
