import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { methodOf } from '../../shared/contract/index.js';
import type { FederationStatus } from '../../shared/contract/federation.js';
import { newId } from '../../shared/ids.js';
import { startFaultProxy, type FaultProxy } from './faultproxy.js';
import { request } from './node.js';
import { spawnNode, type NodeProcess } from './process.js';

/** Why a call to a terminal's API did not answer 200: the status (0 when the process was unreachable) and body. */
export class ApiError extends Error {
  constructor(
    readonly method: string,
    readonly status: number,
    readonly body: any,
  ) {
    super(`${method} answered ${status}: ${JSON.stringify(body)}`);
  }
  /** The error's code on the wire (`Unavailable` for "no fiscal numbers yet" and "recovering its tail"). */
  get code(): string | undefined {
    return this.body?.error?.code;
  }
}

/**
 * A terminal as its own process (`node dist/node/main.js`, so it can be SIGKILLed) on its data folder, behind its own
 * fault proxy to the central, and a client of its API with the launch secret (the owner). `clockOffsetMs` starts it
 * with a wall clock that far ahead (or behind, negative): `test/support/skew-clock.mjs` preloaded.
 */
export interface TerminalProcess {
  name: string;
  dataDir: string;
  proxy: FaultProxy;
  clockOffsetMs: number;
  /** Null while stopped or killed. */
  proc: NodeProcess | null;
  /** A call through the API; commands get a fresh command id unless one is given (a retry). */
  api(method: string, input: unknown, commandId?: string): Promise<any>;
  status(): Promise<FederationStatus>;
  start(): Promise<void>;
  kill(signal?: NodeJS.Signals): Promise<void>;
  close(): Promise<void>;
}

const SKEW_PRELOAD = pathToFileURL(path.resolve('test/support/skew-clock.mjs')).href;

export async function startTerminalProcess(
  name: string,
  dataDir: string,
  centralUrl: string,
  options: { seed?: number; clockOffsetMs?: number } = {},
): Promise<TerminalProcess> {
  const secret = randomBytes(24).toString('hex');
  const proxy = await startFaultProxy(centralUrl, { seed: options.seed ?? 1 });
  const t: TerminalProcess = {
    name,
    dataDir,
    proxy,
    clockOffsetMs: options.clockOffsetMs ?? 0,
    proc: null,
    async api(method, input, commandId) {
      if (!t.proc) throw new ApiError(method, 0, 'the terminal is not running');
      const command = methodOf(method)?.kind === 'command';
      const res = await request(`${t.proc.url}/api/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify({ input, ...(command ? { commandId: commandId ?? newId() } : {}) }),
      }).catch((error: Error) => ({ status: 0, body: error.message, headers: {} }));
      if (res.status !== 200) throw new ApiError(method, res.status, res.body);
      return res.body.result;
    },
    status: () => t.api('federation.status', {}),
    async start() {
      const env: NodeJS.ProcessEnv = { MOSTRADOR_LAUNCH_SECRET: secret };
      if (t.clockOffsetMs !== 0) {
        env.MOSTRADOR_TEST_CLOCK_OFFSET_MS = String(t.clockOffsetMs);
        env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --import ${SKEW_PRELOAD}`.trim();
      }
      t.proc = await spawnNode(dataDir, env);
    },
    async kill(signal = 'SIGKILL') {
      const proc = t.proc;
      t.proc = null;
      await proc?.stop(signal);
    },
    async close() {
      await t.kill('SIGTERM');
      await proxy.close();
    },
  };
  await t.start();
  return t;
}
