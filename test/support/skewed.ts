import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { newId } from '../../shared/ids.js';
import type { FederationStatus } from '../../shared/contract/federation.js';
import { request } from './node.js';
import { spawnNode, type NodeProcess } from './process.js';

const PRELOAD = pathToFileURL(path.resolve('test/support/skew-clock.mjs')).href;

/** A terminal of the built app in its own process, its wall clock `offsetMs` off (test/support/skew-clock.mjs). */
export interface SkewedTerminal {
  dir: string;
  offsetMs: number;
  /** The running process (a new one after `restart`). */
  readonly proc: NodeProcess;
  /** An API call as the owner (the launch secret as bearer); commands get a fresh command id. */
  api(method: string, input: unknown, command?: boolean): Promise<any>;
  status(): Promise<FederationStatus>;
  /** Stops the process with `signal` and starts it again on the same folder and clock. */
  restart(signal: NodeJS.Signals): Promise<void>;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function spawnSkewedTerminal(dir: string, offsetMs: number): Promise<SkewedTerminal> {
  const secret = randomBytes(24).toString('hex');
  const spawn = () =>
    spawnNode(dir, { MOSTRADOR_LAUNCH_SECRET: secret, MOSTRADOR_TEST_CLOCK_OFFSET_MS: String(offsetMs), NODE_OPTIONS: `--import ${PRELOAD}` });
  let proc = await spawn();
  const api = async (method: string, input: unknown, command = false) => {
    const res = await request(`${proc.url}/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
      body: JSON.stringify({ input, ...(command ? { commandId: newId() } : {}) }),
    });
    if (res.status !== 200) throw Object.assign(new Error(`${method} answered ${res.status}: ${JSON.stringify(res.body)}`), { status: res.status });
    return res.body.result;
  };
  return {
    dir,
    offsetMs,
    get proc() {
      return proc;
    },
    api,
    status: () => api('federation.status', {}),
    async restart(signal) {
      await proc.stop(signal);
      proc = await spawn();
    },
    async stop(signal = 'SIGTERM') {
      await proc.stop(signal);
    },
  };
}
