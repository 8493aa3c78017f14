import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, type BrowserWindow } from 'electron';
import { registerBootstrap } from './bootstrap.js';
import { forkLocalNode, stopLocalNode, superviseLocalNode, waitUntilReady, type LocalNode } from './local-node.js';
import { createLogger } from './log.js';
import { applySecurity } from './security.js';
import { createMainWindow } from './window.js';

/**
 * Electron main only starts things: one instance, the local node as a utility process, one hardened window. No
 * business logic lives here; the renderer talks to the node's API like any browser would.
 */
const log = createLogger('electron.main');

export interface StartOptions {
  argv?: readonly string[];
  env?: NodeJS.ProcessEnv;
  /** Absolute path of the compiled node entry (dist/node/main.js). */
  nodeEntry?: string;
  /** Absolute path of the compiled preload (dist/electron/preload.cjs). */
  preloadPath?: string;
  readyTimeoutMs?: number;
  shutdownGraceMs?: number;
  /** Tests: the backoff before restarting a node stopped by a failed fsync. */
  restartDelaysMs?: readonly number[];
}

const READY_TIMEOUT_MS = 30_000;
const SHUTDOWN_GRACE_MS = 5_000;

/** `--data-dir <dir>` (or `--data-dir=<dir>`), else MOSTRADOR_DATA_DIR, else Electron's userData folder. */
export function resolveDataDir(argv: readonly string[], env: NodeJS.ProcessEnv, userData: () => string): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--data-dir' && argv[i + 1]) return path.resolve(argv[i + 1]!);
    if (arg?.startsWith('--data-dir=') && arg.length > '--data-dir='.length) {
      return path.resolve(arg.slice('--data-dir='.length));
    }
  }
  if (env.MOSTRADOR_DATA_DIR) return path.resolve(env.MOSTRADOR_DATA_DIR);
  return userData();
}

export async function start(options: StartOptions = {}): Promise<void> {
  // Before any getPath: userData is derived from the name, and the node and browser mode expect "Mostrador".
  app.setName('Mostrador');
  if (!app.requestSingleInstanceLock()) {
    // Another Mostrador owns the window (and the data folder); it is told to come forward via 'second-instance'.
    app.quit();
    return;
  }
  let window: BrowserWindow | undefined;
  app.on('second-instance', () => {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());

  const dataDir = resolveDataDir(options.argv ?? process.argv, options.env ?? process.env, () =>
    app.getPath('userData'),
  );
  const secret = randomBytes(32).toString('base64url');
  await app.whenReady();

  const entry = options.nodeEntry ?? compiledPath('../node/main.js');
  const node = forkLocalNode({ entry, dataDir, secret });
  let current = (): LocalNode => node;
  const quitting = stopNodeBeforeQuit(() => current(), options.shutdownGraceMs ?? SHUTDOWN_GRACE_MS);
  log.info('starting the local node', { dataDir });

  let apiUrl: string;
  try {
    apiUrl = await waitUntilReady(node, options.readyTimeoutMs ?? READY_TIMEOUT_MS);
  } catch (error) {
    // Quitting during startup stops the node before ready; that is what was asked, not a failure to report.
    if (quitting()) return;
    failAndQuit('Mostrador cannot start', error instanceof Error ? error.message : String(error));
    return;
  }
  log.info('local node ready', { apiUrl });
  // Without its node the window is a dead till: restart it after a failed fsync, otherwise say so and quit.
  current = superviseLocalNode(node, {
    fork: () => forkLocalNode({ entry, dataDir, secret, port: Number(new URL(apiUrl).port) }),
    apiUrl,
    readyTimeoutMs: options.readyTimeoutMs ?? READY_TIMEOUT_MS,
    quitting,
    onRestarted: () => window?.webContents.reload(),
    onStopped: (message) => failAndQuit('Mostrador stopped', message),
    delaysMs: options.restartDelaysMs,
  }).current;

  applySecurity(apiUrl);
  registerBootstrap({ apiUrl, secret });
  window = createMainWindow({ apiUrl, preloadPath: options.preloadPath ?? compiledPath('./preload.cjs') });
}

function compiledPath(relative: string): string {
  return fileURLToPath(new URL(relative, import.meta.url));
}

/**
 * Holds the quit until the node has closed its database cleanly. Returns a probe so a crash is not mistaken for
 * our own shutdown.
 */
function stopNodeBeforeQuit(node: () => LocalNode, graceMs: number): () => boolean {
  let stopping = false;
  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    if (stopping) return;
    stopping = true;
    void stopLocalNode(node(), graceMs)
      .catch((error: unknown) => log.error('stopping the local node failed', { error }))
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });
  return () => stopping;
}

function failAndQuit(title: string, message: string): void {
  log.error(title, { message });
  dialog.showErrorBox(title, message);
  app.quit();
}

if (process.versions.electron) {
  start().catch((error: unknown) => {
    log.error('startup failed', { error });
    app.exit(1);
  });
}
