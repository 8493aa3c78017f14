import type { z } from 'zod';
import type { EventEnvelope } from '../../shared/events.js';
import { bucketsResponse, eventsResponse, idsResponse, receiveResponse, vectorResponse } from '../../shared/reconcile.js';
import type { ReconcilePeer } from '../reconcile/peer.js';
import {
  alertRequest,
  alertResponse,
  checkpointResponse,
  credentialsPullResponse,
  credentialsPushResponse,
  enrollRequest,
  enrollResponse,
  FED_PREFIX,
  fedHeaders,
  ownTailResponse,
  pullResponse,
  pushResponse,
  rangeRequest,
  type WireCredential,
  reportResponse,
  type reportRequest,
  SIGNATURE_WINDOW_MS,
  snapshotLine,
  type WireEvent,
} from '../../shared/federation.js';
import { createLogger, requestContext } from '../log.js';
import type { CentralClock } from './clock.js';
import type { BreakerGate } from './gate.js';
import { signedHeaders } from './signing.js';

const log = createLogger('relay');

/** The central could not be reached or failed (network, timeout, 5xx, 429, an answer it should not give): queue and retry. */
export class CentralUnreachable extends Error {
  constructor(
    message: string,
    /** The HTTP status when something answered (a 5xx, an answer off the wire); null when nothing did (network). */
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

/** The central answered and said no (4xx): retrying the same request will not help. */
export class CentralRefused extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const countsAgainstBreaker = (error: unknown): boolean => !(error instanceof CentralRefused);

export interface Credentials {
  deviceId: string;
  secret: string;
}

export interface ClientOptions {
  baseUrl: string;
  credentials?: Credentials;
  /** The breaker of the central; none for enrollment, when there is no central yet to protect. */
  gate?: BreakerGate;
  timeoutMs?: number;
  /** The central's clock as its answers carry it: requests are signed with it, fiscal expiry is judged by it. */
  clock?: CentralClock;
}

const DEFAULT_TIMEOUT_MS = 30_000;
/** A snapshot of a store with years of sales is tens of megabytes: minutes on a slow shop line, not seconds. */
const SNAPSHOT_TIMEOUT_MS = 10 * 60_000;

type SnapshotLine = z.infer<typeof snapshotLine>;

/**
 * The relay's side of the wire (shared/federation.ts): signed calls through the breaker, answers checked against
 * the schemas. The correlation id of the API call that caused a call (R20) is carried as x-request-id.
 */
/**
 * The central as reconciliation sees it (node/reconcile/peer.ts), over its signed /reconcile routes: every answer is
 * computed by the central from its own log, and `receive` goes through the central's ingest checks.
 */
export function centralPeer(client: CentralClient): ReconcilePeer {
  return {
    vector: async (horizons) => (await client.reconcile('vector', vectorResponse, { ...(horizons ? { horizons } : {}) })).devices,
    buckets: async (deviceId, day, horizon) =>
      (await client.reconcile('buckets', bucketsResponse, { deviceId, ...(day ? { day } : {}), ...(horizon ? { horizon } : {}) })).buckets,
    ids: async (deviceId, hour, horizon) => (await client.reconcile('ids', idsResponse, { deviceId, hour, ...(horizon ? { horizon } : {}) })).ids,
    events: async (ids) => (await client.reconcile('events', eventsResponse, { ids })).events as EventEnvelope[],
    receive: (events) => client.reconcile('receive', receiveResponse, { events }),
  };
}

export class CentralClient {
  constructor(private readonly options: ClientOptions) {}

  /** This machine's clock minus the central's at the last answer; null before any. */
  get clockSkewMs(): number | null {
    return this.options.clock?.skewMs ?? null;
  }

  enroll(input: z.input<typeof enrollRequest>) {
    return this.#call('POST', '/enroll', enrollResponse, input, false);
  }

  push(events: readonly WireEvent[]) {
    return this.#call('POST', '/push', pushResponse, { events });
  }

  checkpoint() {
    return this.#call('GET', '/checkpoint', checkpointResponse);
  }

  pull(after: string, limit: number) {
    return this.#call('GET', `/pull?${new URLSearchParams({ after, limit: String(limit) })}`, pullResponse);
  }

  ownTail(after: number) {
    return this.#call('GET', `/own?${new URLSearchParams({ after: String(after) })}`, ownTailResponse);
  }

  /** Hashes only (shared/federation.ts `wireCredentialSchema`), never a PIN or a password. */
  pushCredentials(credentials: readonly WireCredential[]) {
    return this.#call('POST', '/credentials', credentialsPushResponse, { credentials });
  }

  pullCredentials(after: string, limit: number) {
    return this.#call('GET', `/credentials?${new URLSearchParams({ after, limit: String(limit) })}`, credentialsPullResponse);
  }

  requestRange(input: z.input<typeof rangeRequest>) {
    return this.#call('POST', '/fiscal/ranges', null, input);
  }

  /** The relay's status for the central's device table; the answer may ask for a reconciliation. */
  report(input: z.input<typeof reportRequest>) {
    return this.#call('POST', '/report', reportResponse, input);
  }

  /** One reconciliation call (through the breaker, like every call but the health probe). */
  reconcile<T>(step: 'vector' | 'buckets' | 'ids' | 'events' | 'receive', schema: z.ZodType<T>, input: unknown): Promise<T> {
    return this.#call('POST', `/reconcile/${step}`, schema, input);
  }

  /** A dead letter the central did not raise itself, for its operator (idempotent per event and `at`). */
  alert(input: z.input<typeof alertRequest>) {
    return this.#call('POST', '/alerts', alertResponse, input);
  }

  /** The health probe: outside the breaker, so it can tell when the central is back. */
  async health(): Promise<boolean> {
    try {
      const response = await fetch(`${this.options.baseUrl}${FED_PREFIX}/health`, { signal: AbortSignal.timeout(5_000) });
      this.#observeClock(response);
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  }

  async #call<T>(method: 'GET' | 'POST', route: string, schema: z.ZodType<T> | null, input?: unknown, signed = true): Promise<T> {
    const send = () => this.#send(method, route, schema, input, signed);
    return this.options.gate ? this.options.gate.run(send, countsAgainstBreaker) : send();
  }

  async #send<T>(method: 'GET' | 'POST', route: string, schema: z.ZodType<T> | null, input: unknown, signed: boolean): Promise<T> {
    const path = `${FED_PREFIX}${route}`;
    const response = await this.#request(method, route, input, signed);
    const text = await response.text().catch(() => '');
    if (schema === null) return undefined as T;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new CentralUnreachable(`the central's answer to ${method} ${path} is not JSON`, response.status);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new CentralUnreachable(`the central's answer to ${method} ${path} does not match the wire: ${parsed.error.message.slice(0, 200)}`, response.status);
    }
    return parsed.data;
  }

  /**
   * GET /snapshot (docs/decisions/0012-snapshot.md): each line of the store's snapshot, checked against the wire, to
   * `onLine` as it arrives (awaited: the body is never held whole); resolves with the bytes read. Not through the
   * breaker: a joining terminal that cannot get one pulls the history instead.
   */
  async snapshot(onLine: (line: SnapshotLine) => Promise<void>, timeoutMs = SNAPSHOT_TIMEOUT_MS): Promise<number> {
    const response = await this.#request('GET', '/snapshot', undefined, true, timeoutMs);
    let bytes = 0;
    let pending = '';
    const take = async (line: string) => {
      if (line === '') return;
      const parsed = snapshotLine.safeParse(JSON.parse(line));
      if (!parsed.success) throw new CentralUnreachable(`a line of the central's snapshot does not match the wire: ${parsed.error.message.slice(0, 200)}`);
      await onLine(parsed.data);
    };
    try {
      for await (const text of response.body!.pipeThrough(new TextDecoderStream())) {
        bytes += Buffer.byteLength(text);
        pending += text;
        const parts = pending.split('\n');
        pending = parts.pop()!;
        for (const part of parts) await take(part);
      }
      await take(pending);
    } catch (error) {
      if (error instanceof CentralUnreachable || !(error instanceof TypeError || error instanceof SyntaxError || (error as Error).name === 'AbortError')) throw error;
      throw new CentralUnreachable(`the central's snapshot was cut or unreadable: ${describe(error)}`);
    }
    return bytes;
  }

  /** A signed (or not) request whose answer is a success: the body is the caller's to read. */
  async #request(method: 'GET' | 'POST', route: string, input: unknown, signed: boolean, timeoutMs = this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS, resigned = false): Promise<Response> {
    const path = `${FED_PREFIX}${route}`;
    const body = input === undefined ? undefined : JSON.stringify(input);
    const requestId = requestContext.getStore()?.requestId;
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    if (requestId) headers['x-request-id'] = requestId;
    // Signed with the central's time as last seen (this machine's clock may be hours off): inside its window.
    const timestamp = this.options.clock?.signingTime() ?? Date.now();
    if (signed) {
      const credentials = this.options.credentials;
      if (!credentials) throw new CentralRefused(401, 'this terminal is not enrolled');
      Object.assign(headers, signedHeaders(credentials, { method, path, body, requestId }, timestamp));
    }
    let response: Response;
    try {
      response = await fetch(`${this.options.baseUrl}${path}`, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
    } catch (error) {
      throw new CentralUnreachable(`cannot reach the central at ${this.options.baseUrl}: ${describe(error)}`);
    }
    const centralTime = this.#observeClock(response);
    if (signed && !resigned && response.status === 401 && centralTime !== null && Math.abs(centralTime - timestamp) > SIGNATURE_WINDOW_MS / 2) {
      // Refused for the window (the first call after a start, or the clock moved): signed again, once, with the time
      // the refusal carried and a fresh nonce — the central's window and nonce checks stay as they are.
      await response.body?.cancel().catch(() => undefined);
      return this.#request(method, route, input, signed, timeoutMs, true);
    }
    if (response.status >= 500 || response.status === 429 || response.status === 408) {
      await response.body?.cancel().catch(() => undefined);
      throw new CentralUnreachable(`the central answered ${response.status} to ${method} ${path}`, response.status);
    }
    if (!response.ok) {
      const text = await response.text().catch(() => '');
      throw new CentralRefused(response.status, `the central refused ${method} ${path} (${response.status}): ${messageOf(text)}`);
    }
    return response;
  }


  /** Every answer of the central carries its clock: the skew is learned from it (and logged when it crosses the flag). */
  #observeClock(response: Response): number | null {
    const header = response.headers.get(fedHeaders.centralTime);
    const centralTime = header !== null && /^\d{1,16}$/.test(header) ? Number(header) : null;
    const clock = this.options.clock;
    if (centralTime === null || !clock) return centralTime;
    const change = clock.observe(centralTime);
    if (change === 'flagged') log.warn({ skewMs: clock.skewMs }, "this machine's clock is far from the central's: requests are signed with the central's time; fix the clock");
    if (change === 'cleared') log.info({ skewMs: clock.skewMs }, "this machine's clock agrees with the central's again");
    return centralTime;
  }
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
}

function messageOf(text: string): string {
  try {
    const body = JSON.parse(text) as { error?: { message?: string }; message?: string };
    return (body.error?.message ?? body.message ?? text).slice(0, 300);
  } catch {
    return text.slice(0, 300);
  }
}
