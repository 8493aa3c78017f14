import { spawn } from 'node:child_process';
import { GENESIS_HASH } from '../../shared/events.js';
import { FED_PREFIX, type WireEvent } from '../../shared/federation.js';
import { formatHlc } from '../../shared/hlc.js';
import { newId } from '../../shared/ids.js';
import { eventHash } from '../../node/journal/chain.js';
import { startCentral, type CentralOptions, type RunningCentral } from '../../node/central/app.js';
import { createEnrollmentCode } from '../../node/central/enrollment.js';
import { signedHeaders } from '../../node/central/signature.js';
import { NODE_ENTRY } from './process.js';

/** A device as the central knows it after enrollment, with its chain as far as the test has written it. */
export interface TestDevice {
  deviceId: string;
  storeId: string;
  secret: string;
  head: { seq: number; hash: string };
}

export const startTestCentral = (options: CentralOptions): Promise<RunningCentral> => startCentral({ host: '127.0.0.1', port: 0, ...options });

/** Enrolls a fresh device through the HTTP endpoint with a code made for the store (a new store by default). */
export async function enrollDevice(central: RunningCentral, storeId = newId(), options: { codeStore?: string | null; ownEvents?: number } = {}): Promise<TestDevice> {
  const codeStore = options.codeStore === undefined ? storeId : (options.codeStore ?? undefined);
  const { code } = await createEnrollmentCode(central.central.db, { storeId: codeStore, storeName: 'Test store' });
  const deviceId = newId();
  const response = await fetch(`${central.url}${FED_PREFIX}/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, deviceId, storeId, deviceName: 'Caja', ownEvents: options.ownEvents ?? 0 }),
  });
  if (response.status !== 200) throw new Error(`enroll failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { secret: string; storeId: string };
  return { deviceId, storeId: body.storeId, secret: body.secret, head: { seq: 0, hash: GENESIS_HASH } };
}

/** The next `n` events of a device's chain (content the central does not read, hashed as a node hashes). */
export function nextEvents(device: TestDevice, n: number, type = 'ProductCreated', payload: (seq: number) => unknown = (seq) => ({ name: `p${seq}` })): WireEvent[] {
  const events: WireEvent[] = [];
  for (let i = 0; i < n; i++) {
    const seq = device.head.seq + 1;
    const unsealed = {
      event_id: newId(),
      command_id: newId(),
      store_id: device.storeId,
      device_id: device.deviceId,
      device_seq: seq,
      type,
      version: 1,
      payload: payload(seq),
      actor_id: 'owner',
      hlc: formatHlc({ wall: Date.now(), counter: 0, node: device.deviceId }),
      created_at: new Date().toISOString(),
      prev_hash: device.head.hash,
    };
    const hash = eventHash(unsealed as never);
    events.push({ ...unsealed, hash });
    device.head = { seq, hash };
  }
  return events;
}

export interface FedReply<T = unknown> {
  status: number;
  body: T;
}

/** A signed call to the central, as the relay makes it; `tamper` changes the headers after signing. */
export async function fedCall<T = Record<string, unknown>>(
  url: string,
  device: { deviceId: string; secret: string },
  method: 'GET' | 'POST',
  pathWithQuery: string,
  body?: unknown,
  tamper: (headers: Record<string, string>) => Record<string, string> = (h) => h,
  now = Date.now(),
): Promise<FedReply<T>> {
  const path = `${FED_PREFIX}${pathWithQuery}`;
  const raw = body === undefined ? undefined : JSON.stringify(body);
  const headers = tamper({ ...signedHeaders(device, method, path, raw, now), ...(raw ? { 'content-type': 'application/json' } : {}) });
  const response = await fetch(`${url}${path}`, { method, headers, body: raw });
  return { status: response.status, body: (await response.json()) as T };
}

/** The built central as its own process (`node dist/node/main.js --role central`); resolves once it prints its link. */
export function spawnCentral(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<{ url: string; signInUrl: string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [NODE_ENTRY, '--role', 'central', '--data-dir', dataDir], {
    env: { ...process.env, MOSTRADOR_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the central did not print its link in 120 s\n${err}`)), 120_000);
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the central exited with ${code}\n${err}`))));
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const link = /(http:\/\/127\.0\.0\.1:\d+)\/\?code=\S+/.exec(out);
      if (!link || !/Federation: /.test(out)) return;
      clearTimeout(timer);
      resolve({
        url: link[1]!,
        signInUrl: link[0],
        stop: async () => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}
