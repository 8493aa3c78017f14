import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../shared/ids.js';
import type { RunningCentral } from '../../node/central/app.js';
import { createEnrollmentCode } from '../../node/central/enrollment.js';
import { askLink } from '../../node/runtime/control.js';
import { launchChromium, screenshotDir } from '../support/browser.js';
import { startTestCentral } from '../support/central.js';
import { request } from '../support/node.js';
import { createTestDatabase } from '../support/postgres.js';
import { spawnNode, type NodeProcess } from '../support/process.js';
import { tempDir } from '../support/tmp.js';

/**
 * Seeing the federation as its people do (issue 14 item 11): the owner of an enrolled terminal opens its status
 * screen, reads the link to the central in words and clicks "Conciliar ahora"; the central's operator sees the
 * device in the store's table and asks it to reconcile from there, which reaches the terminal by itself.
 */
describe('the federation seen on the terminal and at the central', () => {
  const tmp = tempDir('mostrador-e2e-fed-');
  const SECRET = randomBytes(24).toString('hex');
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let central: RunningCentral;
  let node: NodeProcess;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let centralClosed = false;

  const api = async (method: string, input: unknown, commandId?: string) => {
    const res = await request(`${node.url}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SECRET}` },
      body: JSON.stringify({ input, ...(commandId ? { commandId } : {}) }),
    });
    if (res.status !== 200) throw new Error(`${method} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.result;
  };

  beforeAll(async () => {
    database = await createTestDatabase('mostrador_e2e_fed');
    central = await startTestCentral({ databaseUrl: database.url });
    node = await spawnNode(path.join(tmp.dir, 'terminal'), { MOSTRADOR_LAUNCH_SECRET: SECRET });
    chromium = await launchChromium();
    const { code } = await createEnrollmentCode(central.central.db, { storeName: 'Almacén Don José' });
    await api('federation.enroll', { centralUrl: central.url, code, deviceName: 'Caja 1' });
    for (const [name, price] of [['Yerba 1 kg', 450_000], ['Azúcar 1 kg', 120_000]] as const) await api('products.create', { name, price }, newId());
  }, 180_000);

  afterAll(async () => {
    await chromium?.close();
    await node?.stop();
    if (!centralClosed) await central?.close();
    await database?.drop();
    tmp.remove();
  });

  it('the owner sees the link to the central in words and reconciles now', { timeout: 180_000 }, async () => {
    const shots = screenshotDir();
    const context = await chromium.browser.newContext({ locale: 'es-AR', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(node.signInUrl);
    await expect.poll(() => page.url()).not.toContain('code=');
    const panel = page.getByTestId('fed-panel');
    await panel.waitFor();
    await expect.poll(() => page.getByTestId('fed-online').getAttribute('data-online'), { timeout: 60_000 }).toBe('true');
    await expect.poll(() => page.getByTestId('fed-backlog').textContent(), { timeout: 60_000 }).toBe('0');
    expect(await page.getByTestId('fed-online').textContent()).toMatch(/^En línea · último contacto hace (un momento|\d+ min)$/);
    expect(await page.getByTestId('fed-central').textContent()).toBe(`Servidor central: ${central.url}`);
    expect(await page.getByTestId('fed-breaker').textContent()).toBe('normal');
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(shots, 'federation-terminal.png'), fullPage: true });

    const before = (await api('federation.status', {})) as { lastReconcile: { at: string } | null };
    await page.getByTestId('fed-reconcile-now').click();
    await expect
      .poll(async () => ((await api('federation.status', {})) as { lastReconcile: { at: string } | null }).lastReconcile?.at, { timeout: 60_000 })
      .not.toBe(before.lastReconcile?.at);
    await expect.poll(() => page.getByTestId('fed-reconcile').textContent(), { timeout: 30_000 }).toMatch(/^(todo coincide|faltaban operaciones .*ahora todo coincide) \(hace un momento\)$/);
    await expect.poll(() => page.getByTestId('fed-reconcile-now').isEnabled(), { timeout: 30_000 }).toBe(true);
    expect(await page.getByTestId('fed-error').count()).toBe(0);
    await panel.screenshot({ path: path.join(shots, 'federation-terminal-reconciled.png') });
    await context.close();
  });

  it("the central's operator sees the device in its store's table and asks it to reconcile", { timeout: 180_000 }, async () => {
    const shots = screenshotDir();
    const context = await chromium.browser.newContext({ locale: 'es-AR', viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    await page.goto(central.signInUrl());
    const { deviceId } = (await api('system.status', {})) as { deviceId: string };
    const row = page.locator(`#devices tr[data-device="${deviceId}"]`);
    await row.waitFor({ timeout: 30_000 });
    expect(await page.locator('#devices h3').first().textContent()).toContain('Almacén Don José');
    const text = async () => (await row.textContent()) ?? '';
    expect(await text()).toContain('Caja 1');
    expect(await text()).toContain('● en línea');
    expect(await text()).toMatch(/todo coincide|completada/);
    await page.screenshot({ path: path.join(shots, 'federation-central.png'), fullPage: true });

    const before = (await api('federation.status', {})) as { lastReconcile: { at: string } };
    await row.locator('button', { hasText: 'Conciliar ahora' }).click();
    await expect.poll(text, { timeout: 10_000 }).toContain('pedida');
    // The central tells the store's terminals there is news; the terminal's round reports, the answer asks it to
    // reconcile, and its next report clears the request. The page refreshes by itself.
    await expect.poll(text, { timeout: 90_000, interval: 1000 }).not.toContain('pedida');
    const after = (await api('federation.status', {})) as { lastReconcile: { at: string; outcome: string } };
    expect(Date.parse(after.lastReconcile.at)).toBeGreaterThan(Date.parse(before.lastReconcile.at));
    await page.screenshot({ path: path.join(shots, 'federation-central-reconciled.png'), fullPage: true });
    await context.close();
  });

  it('with the central down, the owner reads that sales are kept here and sent later', { timeout: 180_000 }, async () => {
    await central.close();
    centralClosed = true;
    await api('products.create', { name: 'Fideos 500 g', price: 90_000 }, newId());
    await api('federation.syncNow', {});
    const context = await chromium.browser.newContext({ locale: 'es-AR', viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    // The first link was used: a fresh one, as `mostrador link` asks the running node for it.
    await page.goto(await askLink(path.join(tmp.dir, 'terminal')));
    await expect.poll(() => page.getByTestId('fed-online').getAttribute('data-online'), { timeout: 60_000 }).toBe('false');
    expect(await page.getByTestId('fed-online').textContent()).toMatch(/^Sin conexión · último contacto hace (un momento|\d+ min)$/);
    expect(await page.getByTestId('fed-offline-kept').textContent()).toBe('Las ventas se guardan en esta terminal y se envían solas cuando vuelva la red.');
    expect(await page.getByTestId('fed-last-error').textContent()).toMatch(/^Detalle para soporte: /);
    expect(Number(await page.getByTestId('fed-backlog').textContent())).toBeGreaterThan(0);
    await page.getByTestId('fed-panel').screenshot({ path: path.join(screenshotDir(), 'federation-terminal-offline.png') });
    await context.close();
  });
});
