import { utilityProcess, type UtilityProcess } from 'electron';
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
}

export function forkLocalNode({ entry, dataDir, secret }: ForkOptions): LocalNode {
  const child = utilityProcess.fork(entry, ['--data-dir', dataDir, '--role', 'terminal'], {
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
