import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotDir } from '../support/browser.js';
import { spawnNode, type NodeProcess } from '../support/process.js';
import { tempDir } from '../support/tmp.js';

/** People at a counter in Chromium: the first start, tiles and PIN pad, the switch, the lockout, the audit log. */
describe('people and sign-in in the browser', () => {
  const tmp = tempDir('mostrador-e2e-people-');
  let node: NodeProcess;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  const shot = (name: string) => path.join(screenshotDir(), `people-${name}.png`);

  beforeAll(async () => {
    node = await spawnNode(tmp.dir);
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
    await node?.stop();
    tmp.remove();
  });

  it('takes the owner from the first start to a cashier’s shift change and the audit log', { timeout: 180_000 }, async () => {
    const context = await chromium.browser.newContext({ locale: 'es-AR', viewport: { width: 1024, height: 768 } });
    const page = await context.newPage();
    await page.goto(node.signInUrl);

    // First start: the installation works as the owner, and asks for the owner's password.
    await page.getByTestId('owner-setup').waitFor();
    await page.getByTestId('home-verdict').waitFor();
    await page.screenshot({ path: shot('1-first-start') });
    await page.getByTestId('setup-name').fill('Ana Dueña');
    await page.getByTestId('setup-password').fill('clave del dueño');
    await page.getByTestId('setup-again').fill('clave del dueño');
    await page.getByTestId('setup-ok').click();

    // From now on a person signs in: the tiles, then the owner's password.
    await page.getByTestId('person-signin').waitFor();
    await page.getByTestId('tile-Ana Dueña').click();
    await page.getByTestId('password').fill('clave equivocada');
    await page.getByTestId('password-ok').click();
    await page.getByTestId('signin-error').waitFor();
    expect(await page.getByTestId('signin-error').textContent()).toContain('Quedan 4 intentos');
    await page.getByTestId('password').fill('clave del dueño');
    await page.keyboard.press('Enter');
    await page.getByTestId('person-badge').waitFor();
    expect(await page.getByTestId('person-name').textContent()).toBe('Ana Dueña · Dueño');

    // The owner adds two cashiers with their PINs.
    await page.getByTestId('nav-users').click();
    await page.getByTestId('users-screen').waitFor();
    for (const [name, pin] of [['Beto Cajero', '1234'], ['Caro Cajera', '5678']] as const) {
      await page.getByTestId('new-person-name').fill(name);
      await page.getByTestId('person-secret').fill(pin);
      await page.getByTestId('person-save').click();
      await page.getByTestId(`person-${name}`).waitFor();
    }
    await page.screenshot({ path: shot('2-users') });

    // Quick switch: Beto signs in on the PIN pad; typing digits works as well as the keys.
    await page.getByTestId('switch-person').click();
    await page.getByTestId('tile-Beto Cajero').waitFor();
    await page.screenshot({ path: shot('3-tiles') });
    await page.getByTestId('tile-Beto Cajero').click();
    await page.getByTestId('pinpad').waitFor();
    await page.keyboard.type('12');
    await page.getByTestId('pin-3').click();
    await page.getByTestId('pin-4').click();
    expect(await page.getByTestId('pin-dots').getAttribute('data-length')).toBe('4');
    await page.screenshot({ path: shot('4-pinpad') });
    await page.getByTestId('pin-ok').click();
    await page.getByTestId('person-badge').waitFor();
    expect(await page.getByTestId('person-name').textContent()).toBe('Beto Cajero · Cajero');
    expect(await page.getByTestId('nav-users').count()).toBe(0);
    expect(await page.getByTestId('nav-audit').count()).toBe(0);

    // Caro forgets her PIN: five wrong ones lock her out, with a countdown.
    await page.getByTestId('switch-person').click();
    await page.getByTestId('tile-Caro Cajera').click();
    for (let i = 0; i < 5; i++) {
      await page.keyboard.type('0000');
      await page.keyboard.press('Enter');
      if (i < 4) await expect.poll(() => page.getByTestId('signin-error').textContent()).toContain(`Quedan ${4 - i} intentos`);
    }
    await page.getByTestId('lockout').waitFor();
    expect(await page.getByTestId('lockout').textContent()).toMatch(/Podrá volver a intentar en 0:(2\d|30)\./);
    expect(await page.getByTestId('pin-ok').isDisabled()).toBe(true);
    await page.screenshot({ path: shot('5-lockout') });

    // Back to the owner (password), who reads the audit log.
    await page.getByTestId('signin-back').click();
    await page.getByTestId('tile-Ana Dueña').click();
    await page.getByTestId('password').fill('clave del dueño');
    await page.keyboard.press('Enter');
    await page.getByTestId('person-badge').waitFor();
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-screen').waitFor();
    await expect.poll(() => page.getByTestId('audit-row').count()).toBeGreaterThanOrEqual(9);
    const kinds = await page.getByTestId('audit-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')));
    expect(kinds.filter((k) => k === 'signInFailed')).toHaveLength(6);
    expect(kinds).toContain('lockedOut');
    expect(kinds.filter((k) => k === 'userCreated')).toHaveLength(3);
    await page.getByTestId('audit-kind').selectOption('lockedOut');
    await expect.poll(() => page.getByTestId('audit-row').count()).toBe(1);
    expect(await page.getByTestId('audit-row').textContent()).toContain('Caro Cajera');
    await page.getByTestId('audit-kind').selectOption('');
    await expect.poll(() => page.getByTestId('audit-row').count()).toBeGreaterThanOrEqual(9);
    await page.screenshot({ path: shot('6-audit'), fullPage: true });

    // A reload keeps the person (this tab's token); signing out brings back the tiles.
    await page.reload();
    await page.getByTestId('person-badge').waitFor();
    await page.getByTestId('person-sign-out').click();
    await page.getByTestId('person-signin').waitFor();
    await context.close();
  });
});
