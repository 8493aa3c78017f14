import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { launchChromium, screenshotDir } from '../../test/support/browser.js';
import { enrollDevice, fedCall, startTestCentral, type TestDevice } from '../../test/support/central.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { newId } from '../../shared/ids.js';
import type { RunningCentral } from './app.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let central: RunningCentral;
let device: TestDevice;

beforeAll(async () => {
  database = await createTestDatabase('mostrador_central_page');
  central = await startTestCentral({ databaseUrl: database.url });
  device = await enrollDevice(central);
  await central.central.db.write((tx) =>
    tx.query("INSERT INTO central_alerts (store_id, alert_id, device_id, event_id, reason, kind, alert_key) VALUES ($1, $2, $3, $4, $5, 'overRefund', $6)", [
      device.storeId, newId(), device.deviceId, newId(), 'over-refund on B-0001 7, line l1 "Yerba": sold 2 for 500000, refunded 3 for 750000', 'overRefund:s:l1',
    ]),
  );
}, 120_000);

afterAll(async () => {
  await central?.close();
  await database?.drop();
});

describe("the central operator's page", () => {
  it('signs in with the printed link, lists devices per store and alerts, asks one to reconcile, makes a code and revokes a device', async () => {
    const { browser, close } = await launchChromium();
    try {
      const page = await browser.newPage();
      page.on('dialog', (dialog) => void dialog.accept());
      await page.goto(central.signInUrl());
      const row = page.locator(`#devices tr[data-device="${device.deviceId}"]`);
      await row.waitFor({ timeout: 30_000 });
      // A device that never reported: enrolled, no contact yet.
      expect(await row.textContent()).toContain('Caja');
      expect(await row.textContent()).toContain('sin conexión');
      expect(await row.textContent()).toContain('nunca');
      await row.locator('button', { hasText: 'Conciliar ahora' }).click();
      await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('pedida hace un momento');
      // The device reports trouble: a dead letter, a backlog, a reconciliation that stalled; the table says so.
      const status = {
        enrolled: true, centralUrl: central.url, online: true, lastContactAt: null, lastError: null, backlog: 7,
        breaker: { state: 'open', failures: 5, retryAt: null }, deadLetter: { eventId: 'e1', reason: 'hash mismatch', at: new Date().toISOString() },
        fiscalNumbersLeft: 12, lastReconcile: { at: new Date().toISOString(), outcome: 'stalled', pulled: 0, pushed: 0, reason: '1 tampered event' },
      };
      expect((await fedCall(central.url, device, 'POST', '/report', { status, appVersion: '9.9.9', reconciled: null })).status).toBe(200);
      await page.reload();
      await row.waitFor({ timeout: 30_000 });
      const text = (await row.textContent()) ?? '';
      for (const shown of ['envíos detenidos', 'en pausa', 'detenida: llamá a soporte', '12', '9.9.9']) expect(text).toContain(shown);
      expect(await row.locator('td').nth(3).textContent()).toBe('7');
      await page.screenshot({ path: path.join(screenshotDir(), 'central-device-trouble.png'), fullPage: true });
      // An over-refund alert is listed with its kind in words and its reason as written.
      await page.locator('#alerts td', { hasText: 'Devolución mayor que lo vendido' }).waitFor({ timeout: 30_000 });
      await page.locator('#alerts td', { hasText: 'over-refund on B-0001 7' }).waitFor({ timeout: 10_000 });
      expect(new URL(page.url()).search).toBe('');
      await page.locator('#codeForm button').click();
      await expect.poll(() => page.locator('#code').textContent(), { timeout: 10_000 }).toMatch(/^\S{20} \(vence /);
      await page.locator('#devices button', { hasText: 'Revocar' }).first().click();
      await expect
        .poll(async () => (await central.central.db.query('SELECT 1 FROM central_devices WHERE device_id = $1 AND revoked_at IS NOT NULL', [device.deviceId])).length, { timeout: 10_000 })
        .toBe(1);
      // The link works once: a second visit is not signed in.
      const other = await browser.newPage();
      await other.goto(central.signInUrl().replace(/code=.*/, 'code=used'));
      await expect.poll(() => other.locator('#msg').textContent(), { timeout: 10_000 }).toMatch(/\S/);
    } finally {
      await close();
    }
  }, 120_000);
});
