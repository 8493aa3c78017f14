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
});
