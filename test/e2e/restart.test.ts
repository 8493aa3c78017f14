import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, screenshotDir } from '../support/browser.js';
import { spawnNode, type NodeProcess } from '../support/process.js';
import { tempDir } from '../support/tmp.js';

const codeOf = (link: string) => new URL(link).searchParams.get('code')!;

/** A till restarted while a browser tab is open on it: same port, same session, the tab comes back by itself. */
describe('a node restart with an open tab', () => {
  const tmp = tempDir('mostrador-restart-');
  const nodes: NodeProcess[] = [];
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  const start = async () => {
    const node = await spawnNode(tmp.dir, { MOSTRADOR_LOG_LEVEL: 'info' });
    nodes.push(node);
    return node;
  };

  beforeAll(async () => {
    chromium = await launchChromium();
  });
  afterAll(async () => {
    await chromium?.close();
    for (const node of nodes) await node.stop();
    tmp.remove();
  });

  it('keeps the port and the session, and the tab reconnects without signing in again', { timeout: 240_000 }, async () => {
    const first = await start();
    const context = await chromium.browser.newContext({ locale: 'es-AR' });
    const page = await context.newPage();
    await page.goto(first.signInUrl);
    await page.getByTestId('home-verdict').waitFor();
    const link = page.getByTestId('link-state');
    await expect.poll(() => link.getAttribute('data-state')).toBe('live');

    expect(await first.stop()).toBe(0);
    await expect.poll(() => link.getAttribute('data-state')).not.toBe('live');

    const second = await start();
    expect(second.url).toBe(first.url);
    await expect.poll(() => link.getAttribute('data-state'), { timeout: 20_000 }).toBe('live');
    await page.getByTestId('home-verdict').waitFor();
    expect(await page.getByTestId('signin-needed').count()).toBe(0);
    expect(await page.getByTestId('status-datadir').textContent()).toBe(tmp.dir);
    await page.screenshot({ path: path.join(screenshotDir(), 'after-restart.png') });

    // The link printed before the restart is dead; `mostrador link` gives a fresh one for the running node.
    const cli = spawnSync(process.execPath, [path.resolve('bin/mostrador.js'), 'link', '--data-dir', tmp.dir], { encoding: 'utf8' });
    expect(cli.stderr).toBe('');
    expect(cli.status).toBe(0);
    const fresh = cli.stdout.trim();
    expect(fresh).toMatch(new RegExp(`^${first.url}/\\?code=[A-Za-z0-9_-]+$`));
    const stranger = await chromium.browser.newContext();
    const old = await stranger.newPage();
    await old.goto(first.signInUrl);
    await old.getByTestId('signin-needed').waitFor();
    await old.goto(fresh);
    await old.getByTestId('home-verdict').waitFor();
    await old.getByTestId('sign-out').click();
    await old.getByTestId('signin-needed').waitFor();
    await old.reload();
    await old.getByTestId('signin-needed').waitFor();
    await stranger.close();
    await context.close();

    const logs = fs.readdirSync(path.join(tmp.dir, 'logs')).map((f) => fs.readFileSync(path.join(tmp.dir, 'logs', f), 'utf8')).join('');
    expect(logs).toContain('incoming request');
    for (const code of [codeOf(first.signInUrl), codeOf(second.signInUrl), codeOf(fresh)]) expect(logs).not.toContain(code);
  });
});
