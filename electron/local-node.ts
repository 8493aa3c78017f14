import { utilityProcess, type UtilityProcess } from 'electron';
import { EXIT_FSYNC_FAILED } from '../shared/exit-codes.js';
import { createLogger } from './log.js';

/**
 * The local node runs in its own utility process (database work off the UI thread, and a crash there cannot take
 * the window with it). It is started by path, never imported: electron/ does not depend on node/ code.
 *
 * Protocol over parentPort: the child posts {type:'ready', apiUrl} once serving, or {type:'fatal', message} and
 * exits non-zero; we post {type:'shutdown'} and it exits 0.
 */
const log = createLogger('electron.local-node');

export type NodeMessage = { type: 'ready'; apiUrl: string } | { type: 'fatal'; message: string };

export interface LocalNode {
  readonly child: UtilityProcess;
  /** Settles with the exit code once the process is gone, whoever ended it. */
  readonly exited: Promise<number>;
  hasExited(): boolean;
}

export interface ForkOptions {
  entry: string;
  dataDir: string;
  secret: string;
  /** A restarted node keeps its predecessor's port: the window, its CSP and the bootstrap are keyed on the origin. */
  port?: number;
}

export function forkLocalNode({ entry, dataDir, secret, port }: ForkOptions): LocalNode {
  const args = ['--data-dir', dataDir, '--role', 'terminal', ...(port === undefined ? [] : ['--port', String(port)])];
  const child = utilityProcess.fork(entry, args, {
    // The secret goes by env, not argv: argv is visible to every user in the process list.
    env: { ...process.env, MOSTRADOR_LAUNCH_SECRET: secret },
    serviceName: 'Mostrador node',
    stdio: 'inherit',
  });
  let done = false;
  const exited = new Promise<number>((resolve) => {
    child.once('exit', (code) => {
      done = true;
      log.info('local node exited', { code });
      resolve(code);
    });
  });
  return { child, exited, hasExited: () => done };
}

export function readNodeMessage(message: unknown): NodeMessage | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as Record<string, unknown>;
  if (m.type === 'ready' && typeof m.apiUrl === 'string') return { type: 'ready', apiUrl: m.apiUrl };
  if (m.type === 'fatal' && typeof m.message === 'string') return { type: 'fatal', message: m.message };
  return undefined;
}

/**
 * The window, the CSP and the bootstrap check are all keyed on this URL, so it must be exactly a loopback HTTP
 * origin; anything else is a bug in the node and we refuse to open it.
 */
export function parseApiUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`The local node announced an invalid address: ${raw}`);
  }
  if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1' || url.port === '') {
    throw new Error(`The local node announced an address that is not on this computer: ${raw}`);
  }
  return url.origin;
}

/** Resolves with the node's API origin; rejects with a message a cashier can read. */
export function waitUntilReady(node: LocalNode, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const finish = (outcome: () => void): void => {
      clearTimeout(timer);
      node.child.off('message', onMessage);
      node.child.off('exit', onExit);
      outcome();
    };
    const onMessage = (raw: unknown): void => {
      const message = readNodeMessage(raw);
      if (message?.type === 'fatal') {
        finish(() => reject(new Error(message.message)));
        return;
      }
      if (message?.type !== 'ready') return;
      try {
        const apiUrl = parseApiUrl(message.apiUrl);
        finish(() => resolve(apiUrl));
      } catch (error) {
        node.child.kill();
        finish(() => reject(error as Error));
      }
    };
    const onExit = (code: number): void => {
      finish(() => reject(new Error(`The local Mostrador service stopped (exit code ${code}) before it was ready.`)));
    };
    const timer = setTimeout(() => {
      node.child.kill();
      finish(() => reject(new Error(`The local Mostrador service did not start within ${timeoutMs / 1000} s.`)));
    }, timeoutMs);
    node.child.on('message', onMessage);
    node.child.on('exit', onExit);
  });
}

/** Asks nicely so the node can finish its transaction and release the folder lock; kills after the grace period. */
export async function stopLocalNode(node: LocalNode, graceMs: number): Promise<void> {
  if (node.hasExited()) return;
  try {
    node.child.postMessage({ type: 'shutdown' });
  } catch (error) {
    // The process may be gone before its 'exit' arrives; the grace period and kill below still settle it.
    log.warn('could not ask the local node to shut down', { error });
  }
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), graceMs);
  });
  const outcome = await Promise.race([node.exited, graceOver]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    log.warn('local node did not stop in time; killing it', { graceMs });
    node.child.kill();
  }
}

/** Waits before each restart after a failed fsync; one more failure within the window than there are delays gives up. */
export const RESTART_DELAYS_MS: readonly number[] = [1_000, 2_000, 5_000, 10_000, 30_000];
const RESTART_WINDOW_MS = 10 * 60 * 1000;

export interface SuperviseOptions {
  /** Forks a new node on the same port, with the same secret. */
  fork: () => LocalNode;
  apiUrl: string;
  readyTimeoutMs: number;
  quitting: () => boolean;
  /** The node is serving again (the window reloads to sign in again). */
  onRestarted: () => void;
  /** The node is gone for good: the message says why, for a cashier. */
  onStopped: (message: string) => void;
  delaysMs?: readonly number[];
}

/**
 * Watches the running node. A node that stops because an fsync failed (EXIT_FSYNC_FAILED) never answers from a
 * state it could not persist; it is started again after a growing delay, recovers from its log and serves the same
 * origin. Any other unexpected stop, or failures that keep coming, end the app with a message.
 */
export function superviseLocalNode(first: LocalNode, options: SuperviseOptions): { current(): LocalNode } {
  const delays = options.delaysMs ?? RESTART_DELAYS_MS;
  let node = first;
  let restarts: number[] = [];

  const watch = (watched: LocalNode): void => {
    let fatal: string | undefined;
    watched.child.on('message', (raw: unknown) => {
      const message = readNodeMessage(raw);
      if (message?.type === 'fatal') fatal = message.message;
    });
    void watched.exited.then((code) => {
      if (options.quitting()) return;
      if (code === EXIT_FSYNC_FAILED) return void restart();
      options.onStopped(fatal ?? `The local Mostrador service stopped unexpectedly (exit code ${code}).`);
    });
  };

  const restart = async (): Promise<void> => {
    for (;;) {
      const now = Date.now();
      restarts = restarts.filter((at) => now - at < RESTART_WINDOW_MS);
      const delay = delays[restarts.length];
      if (delay === undefined) {
        options.onStopped('The disk keeps failing to save Mostrador’s data. Check the disk, then start Mostrador again.');
        return;
      }
      restarts.push(now);
      log.warn('the local node stopped after a failed fsync; restarting it', { delayMs: delay, attempt: restarts.length });
      await new Promise((resolve) => setTimeout(resolve, delay));
      if (options.quitting()) return;
      node = options.fork();
      try {
        const apiUrl = await waitUntilReady(node, options.readyTimeoutMs);
        if (apiUrl !== options.apiUrl) throw new Error(`The restarted local node serves ${apiUrl} instead of ${options.apiUrl}.`);
      } catch (error) {
        if (options.quitting()) return;
        if (node.hasExited() && (await node.exited) === EXIT_FSYNC_FAILED) continue;
        node.child.kill();
        options.onStopped((error as Error).message);
        return;
      }
      watch(node);
      options.onRestarted();
      return;
    }
  };

  watch(first);
  return { current: () => node };
}
