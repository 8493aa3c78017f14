import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EXIT_FSYNC_FAILED } from '../shared/exit-codes.js';
import { resolveDataDir, start, type StartOptions } from './main.js';
import { fake, type FakeBrowserWindow, type FakeUtilityProcess } from './testing/fake-electron.js';

vi.mock('electron', () => import('./testing/fake-electron.js').then((m) => m.fake));

const apiUrl = 'http://127.0.0.1:4318';
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function launch(options: StartOptions = {}): Promise<{ child: FakeUtilityProcess; started: Promise<void> }> {
  const started = start({ argv: ['electron', '.', '--data-dir', '/shop/data'], env: {}, ...options });
  await flush();
  const child = fake.forks[0];
  if (!child) throw new Error('the node was not forked');
  return { child, started };
}

type Ready = { child: FakeUtilityProcess; window: FakeBrowserWindow };

async function launchReady(options: StartOptions = {}): Promise<Ready> {
  const { child, started } = await launch(options);
  child.post({ type: 'ready', apiUrl });
  await started;
  return { child, window: fake.BrowserWindow.instances[0]! };
}

describe('start', () => {
  beforeEach(() => {
    fake.reset();
    vi.spyOn(process.stderr, 'write').mockReturnValue(true);
  });
  afterEach(() => vi.restoreAllMocks());

  it('is not started by importing the module outside Electron', () => {
    expect(fake.forks).toHaveLength(0);
  });

  it('quits without starting anything when another instance holds the lock', async () => {
    fake.app.singleInstanceLock = false;
    await start({ env: {} });
    expect(fake.app.quitted).toBe(true);
    expect(fake.forks).toHaveLength(0);
    expect(fake.BrowserWindow.instances).toHaveLength(0);
  });

  it('forks the node with the data dir, the terminal role and a fresh secret in its env', async () => {
    const { child } = await launch();
    expect(path.isAbsolute(child.modulePath)).toBe(true);
    expect(child.modulePath.endsWith(path.join('node', 'main.js'))).toBe(true);
    expect(child.args).toEqual(['--data-dir', path.resolve('/shop/data'), '--role', 'terminal']);
    expect(child.options.serviceName).toBe('Mostrador node');
    expect(child.options.stdio).toBe('inherit');
    const env = child.options.env as Record<string, string>;
    expect(env.MOSTRADOR_LAUNCH_SECRET).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(env.PATH).toBe(process.env.PATH);
    expect(child.args.join(' ')).not.toContain(env.MOSTRADOR_LAUNCH_SECRET);

    fake.reset();
    const second = await launch();
    const secondEnv = second.child.options.env as Record<string, string>;
    expect(secondEnv.MOSTRADOR_LAUNCH_SECRET).not.toBe(env.MOSTRADOR_LAUNCH_SECRET);
  });

  it('falls back to the userData folder of an app named Mostrador', async () => {
    const { child } = await launch({ argv: ['electron', '.'] });
    expect(fake.app.namesWhenPathRead).toEqual(['Mostrador']);
    expect(child.args[1]).toBe('/fake/userData/Mostrador');
  });

  it('shows the fatal message and quits when the node cannot start', async () => {
    const { child, started } = await launch();
    child.post({ type: 'fatal', message: 'the data folder is in use by another Mostrador (pid 123)' });
    child.exit(1);
    await started;
    await flush();
    expect(fake.errorBoxes).toEqual([
      { title: 'Mostrador cannot start', content: 'the data folder is in use by another Mostrador (pid 123)' },
    ]);
    expect(fake.app.quitted).toBe(true);
    expect(fake.BrowserWindow.instances).toHaveLength(0);
  });

  it('shows an error and quits when the node exits before ready', async () => {
    const { child, started } = await launch();
    child.exit(3);
    await started;
    await flush();
    expect(fake.errorBoxes[0]?.content).toMatch(/exit code 3/);
    expect(fake.app.quitted).toBe(true);
  });

  it('gives up, kills the node and quits when ready never comes', async () => {
    const { child, started } = await launch({ readyTimeoutMs: 20 });
    await started;
    await flush();
    expect(child.killed).toBe(true);
    expect(fake.errorBoxes).toHaveLength(1);
    expect(fake.errorBoxes[0]?.content).toMatch(/did not start/);
    expect(fake.app.quitted).toBe(true);
  });

  it('ignores messages it does not understand while waiting', async () => {
    const { child, started } = await launch();
    child.post('hello');
    child.post({ type: 'ready' });
    child.post({ type: 'progress', step: 'migrations' });
    child.post({ type: 'ready', apiUrl });
    await started;
    expect(fake.errorBoxes).toEqual([]);
    expect(fake.BrowserWindow.instances).toHaveLength(1);
  });

  it('quits quietly when asked to quit while the node is still starting', async () => {
    const { child, started } = await launch();
    fake.app.quit();
    expect(child.sent).toEqual([{ type: 'shutdown' }]);
    child.exit(0);
    await started;
    await flush();
    expect(fake.errorBoxes).toEqual([]);
    expect(fake.app.quitted).toBe(true);
    expect(fake.BrowserWindow.instances).toHaveLength(0);
  });

  it('refuses an announced address that is not loopback HTTP', async () => {
    const { child, started } = await launch();
    child.post({ type: 'ready', apiUrl: 'http://192.168.1.20:4318' });
    await started;
    expect(fake.errorBoxes[0]?.content).toMatch(/not on this computer/);
    expect(fake.BrowserWindow.instances).toHaveLength(0);
  });

  it('on ready, hardens the session, registers bootstrap and opens one window on the node', async () => {
    const { window } = await launchReady({ preloadPath: '/app/dist/electron/preload.cjs' });
    expect(fake.BrowserWindow.instances).toHaveLength(1);
    expect(window.loadedUrls).toEqual([`${apiUrl}/`]);
    expect((window.options.webPreferences as Record<string, unknown>).preload).toBe('/app/dist/electron/preload.cjs');
    expect(fake.session.defaultSession.permissionRequestHandler).toBeDefined();
    expect(fake.session.defaultSession.webRequest.headersListener).toBeDefined();
    expect(fake.app.listenerCount('web-contents-created')).toBe(1);
    expect([...fake.handlers.keys()]).toEqual(['mostrador:bootstrap']);
    const answer = await fake.invokeMain('mostrador:bootstrap', `${apiUrl}/`);
    expect(answer).toMatchObject({ apiUrl });
  });

  it('defaults the preload to the compiled preload.cjs beside main', async () => {
    const { window } = await launchReady();
    const preload = (window.options.webPreferences as Record<string, unknown>).preload as string;
    expect(path.isAbsolute(preload)).toBe(true);
    expect(path.basename(preload)).toBe('preload.cjs');
  });

  it('brings the window forward when a second instance starts', async () => {
    const { window } = await launchReady();
    window.minimized = true;
    fake.app.emit('second-instance', {}, [], '/');
    expect(window.minimized).toBe(false);
    expect(window.focused).toBe(true);
  });

  it('on quit, asks the node to shut down and waits for it to exit', async () => {
    const { child } = await launchReady();
    fake.app.quit();
    expect(child.sent).toEqual([{ type: 'shutdown' }]);
    expect(fake.app.quitted).toBe(false);
    child.exit(0);
    await flush();
    expect(fake.app.quitted).toBe(true);
    expect(child.killed).toBe(false);
    expect(fake.errorBoxes).toEqual([]);
  });

  it('on quit, kills the node when it does not exit within the grace period', async () => {
    const { child } = await launchReady({ shutdownGraceMs: 20 });
    fake.app.quit();
    fake.app.quit();
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(child.sent).toEqual([{ type: 'shutdown' }]);
    expect(child.killed).toBe(true);
    expect(fake.app.quitted).toBe(true);
    // The kill is ours, not a crash: no error box on the way out.
    expect(fake.errorBoxes).toEqual([]);
  });

  it('says so and quits when the node dies while the till is open', async () => {
    const { child } = await launchReady();
    child.post({ type: 'fatal', message: 'disk full' });
    child.exit(1);
    await flush();
    expect(fake.errorBoxes).toEqual([{ title: 'Mostrador stopped', content: 'disk full' }]);
    expect(fake.app.quitted).toBe(true);
  });

  it('restarts the node after a failed fsync, after a delay, on the same port, and reloads the window', async () => {
    const { child, window } = await launchReady({ restartDelaysMs: [30] });
    child.exit(EXIT_FSYNC_FAILED);
    await flush();
    expect(fake.forks).toHaveLength(1);
    await sleep(50);
    const second = fake.forks[1]!;
    expect(second.args).toEqual(['--data-dir', path.resolve('/shop/data'), '--role', 'terminal', '--port', '4318']);
    expect(second.options.env).toMatchObject({ MOSTRADOR_LAUNCH_SECRET: (child.options.env as Record<string, string>).MOSTRADOR_LAUNCH_SECRET });
    second.post({ type: 'ready', apiUrl });
    await flush();
    expect(window.webContents.reloads).toBe(1);
    expect(fake.errorBoxes).toEqual([]);
    expect(fake.app.quitted).toBe(false);
    // Quitting now stops the restarted node, not the dead one.
    fake.app.quit();
    expect(second.sent).toEqual([{ type: 'shutdown' }]);
  });

  it('keeps restarting while the fsync fails at start, then gives up with a message', async () => {
    const { child } = await launchReady({ restartDelaysMs: [1, 1] });
    child.exit(EXIT_FSYNC_FAILED);
    await sleep(20);
    fake.forks[1]!.exit(EXIT_FSYNC_FAILED);
    await sleep(20);
    expect(fake.forks).toHaveLength(3);
    fake.forks[2]!.exit(EXIT_FSYNC_FAILED);
    await sleep(20);
    expect(fake.forks).toHaveLength(3);
    expect(fake.errorBoxes[0]?.content).toMatch(/keeps failing to save/);
    expect(fake.app.quitted).toBe(true);
  });

  it('does not restart a node that stopped for another reason', async () => {
    const { child } = await launchReady({ restartDelaysMs: [1] });
    child.exit(2);
    await sleep(20);
    expect(fake.forks).toHaveLength(1);
    expect(fake.errorBoxes[0]?.content).toMatch(/exit code 2/);
  });
});

describe('resolveDataDir', () => {
  const userData = (): string => '/home/ana/.config/Mostrador';

  it('prefers --data-dir, in either spelling', () => {
    const env = { MOSTRADOR_DATA_DIR: '/from/env' };
    const fromArg = path.resolve('/from/arg');
    expect(resolveDataDir(['electron', '.', '--data-dir', '/from/arg'], env, userData)).toBe(fromArg);
    expect(resolveDataDir(['electron', '.', '--data-dir=/from/arg'], env, userData)).toBe(fromArg);
  });

  it('then MOSTRADOR_DATA_DIR, then userData', () => {
    expect(resolveDataDir(['electron', '.'], { MOSTRADOR_DATA_DIR: '/from/env' }, userData)).toBe(
      path.resolve('/from/env'),
    );
    expect(resolveDataDir(['electron', '.', '--data-dir'], {}, userData)).toBe('/home/ana/.config/Mostrador');
  });
});
