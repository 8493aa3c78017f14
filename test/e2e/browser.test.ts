import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotDir } from '../support/browser.js';
import { spawnNode, type NodeProcess } from '../support/process.js';
import { tempDir } from '../support/tmp.js';

/** The app as a person opens it in browser mode: the printed link, the live status, products in two windows. */
describe('Mostrador in the browser', () => {
  const tmp = tempDir('mostrador-e2e-');
  let node: NodeProcess;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    node = await spawnNode(tmp.dir);
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
    await node?.stop();
    tmp.remove();
  });

  it('opens from the printed link and shows the node status, kept live', async () => {
    const context = await chromium.browser.newContext({ locale: 'es-AR' });
    const page = await context.newPage();
    await page.goto(node.signInUrl);
    await expect.poll(() => page.url()).not.toContain('code=');
    // The first screen says in words that all is well; the identifiers wait behind "Detalles técnicos".
    await page.getByTestId('home-verdict').waitFor();
    expect(await page.getByTestId('home-verdict').textContent()).toBe('Todo bien: Mostrador está funcionando y tus datos están guardados.');
    expect(await page.getByTestId('home-running').textContent()).toMatch(/^Funcionando desde hoy a las \d\d:\d\d\.$/);
    expect(await page.getByTestId('home-data').textContent()).toMatch(/^(Todas las ventas quedan guardadas en este equipo|Datos revisados hoy)/);
    expect(await page.getByTestId('home-backup').textContent()).toBe('Todavía no se hizo ninguna copia del registro de ventas (se hace una por día).');
    expect(await page.getByTestId('home-disk').textContent()).toMatch(/^Espacio en disco: quedan [\d.,]+ [MGT]B libres\.$/);
    expect(await page.getByTestId('home-version').textContent()).toMatch(/^Versión \d+\.\d+\.\d+\.$/);
    expect(await page.getByTestId('disk-banner').count()).toBe(0);
    expect(await page.getByTestId('status-datadir').isVisible()).toBe(false);
    await page.screenshot({ path: path.join(screenshotDir(), 'home.png') });
    await page.getByText('Detalles técnicos').click();
    await page.getByTestId('status-version').waitFor();
    expect(await page.getByTestId('status-datadir').textContent()).toBe(tmp.dir);
    expect(await page.getByTestId('link-state').getAttribute('data-state')).toBe('live');
    const first = await page.getByTestId('status-uptime').textContent();
    await expect.poll(() => page.getByTestId('status-uptime').textContent(), { timeout: 8000 }).not.toBe(first);
    await page.screenshot({ path: path.join(screenshotDir(), 'status.png') });

    // The link works once: another browser cannot reuse it.
    const stranger = await chromium.browser.newContext();
    const other = await stranger.newPage();
    await other.goto(node.signInUrl);
    await other.getByTestId('signin-needed').waitFor();
    await stranger.close();
    await context.close();
  });

  it('shows a disk running low on every screen, in words', async () => {
    const lowTmp = tempDir('mostrador-e2e-low-');
    // A warning line above any real disk: the node reports "low" while writes still work.
    const low = await spawnNode(lowTmp.dir, { MOSTRADOR_DISK_LOW_MB: String(1024 * 1024 * 1024) });
    const context = await chromium.browser.newContext({ locale: 'es-AR' });
    try {
      const page = await context.newPage();
      await page.goto(low.signInUrl);
      const banner = page.getByTestId('disk-banner');
      await banner.waitFor();
      expect(await banner.getAttribute('data-state')).toBe('low');
      expect(await banner.textContent()).toMatch(/^Queda poco espacio en el disco \([\d.,]+ [MGT]B libres\)\. Liberá espacio pronto: con menos de 64 MB Mostrador deja de guardar ventas\.$/);
      expect(await page.getByTestId('home-verdict').textContent()).toBe('Mostrador funciona, pero el disco se está llenando.');
      expect(await page.getByTestId('home-disk').textContent()).toMatch(/^Queda poco espacio en el disco: [\d.,]+ [MGT]B libres\./);
      await page.screenshot({ path: path.join(screenshotDir(), 'home-disk-low.png') });
      await page.getByTestId('nav-products').click();
      await page.getByTestId('products-screen').waitFor();
      expect(await banner.isVisible()).toBe(true);
      await page.getByTestId('lang-switch').selectOption('en');
      await expect.poll(() => banner.textContent()).toMatch(/^The disk is getting full \([\d.,]+ [MGT]B free\)\. Free some space soon: below 64 MB Mostrador stops saving sales\.$/);
    } finally {
      await context.close();
      await low.stop();
      lowTmp.remove();
    }
  });
});
