import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { credentialKey, mergeCredentials } from '../../shared/credentials.js';
import { fedHeaders, FED_PREFIX, type WireCredential, type WireEvent } from '../../shared/federation.js';
import { verifySignature } from '../../node/federation/signing.js';

/**
 * A small stand-in for the central (shared/federation.ts), enough to drive the relay in tests: enrollment with one
 * code, signed push / checkpoint / pull / own / report (taken, never asks to reconcile), and knobs for the failures the relay must survive.
 */
export interface FakeCentral {
  url: string;
  code: string;
  storeId: string | undefined;
  /** Every event held, in the central's per-store order. */
  held: WireEvent[];
  /** PIN and password hashes, in the order they were stored (the pull cursor is an index in this list). */
  credentials: WireCredential[];
  /** Calls seen: method, path (no query), x-request-id. */
  calls: { method: string; path: string; requestId: string | undefined }[];
  /** Network failure: every connection is cut before an answer. */
  down: boolean;
  /** The push holding this event id answers it as refused. */
  refuse: { eventId: string; reason: string } | undefined;
  /** Reachable but failing: every push is answered 500 (the health probe still answers). */
  failPushes: boolean;
  /** The central's clock runs this far from this machine's (its window, its answers' time). */
  clockOffsetMs: number;
  /** Dead letters the relays raised (POST /alerts), as received. */
  alerts: { deviceId: string; eventId: string; at: string; reason: string }[];
  ackedSeq(deviceId: string): number;
  /** The central restored from an older backup: it forgets this device's events after `seq`. */
  forget(deviceId: string, afterSeq: number): void;
  /** The device_seqs of every push received, in arrival order, and their body's size in bytes. */
  pushes: { seqs: number[]; bytes: number }[];
  /** Runs as each push arrives, before it is ingested (a test's failure in the middle of a long push). */
  beforePush: ((seqs: number[]) => void) | undefined;
  close(): Promise<void>;
}

export async function startFakeCentral(): Promise<FakeCentral> {
  const secrets = new Map<string, string>();
  const fake: FakeCentral = {
    url: '',
    code: 'ENROLL-CODE-1234',
    storeId: undefined,
    held: [],
    credentials: [],
    calls: [],
    down: false,
    refuse: undefined,
    failPushes: false,
    clockOffsetMs: 0,
    alerts: [],
    ackedSeq: (deviceId) => fake.held.filter((e) => e.device_id === deviceId).reduce((max, e) => Math.max(max, e.device_seq), 0),
    forget(deviceId, afterSeq) {
      fake.held = fake.held.filter((e) => e.device_id !== deviceId || e.device_seq <= afterSeq);
    },
    pushes: [],
    beforePush: undefined,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const server = http.createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://central');
      fake.calls.push({ method: request.method ?? '', path: url.pathname, requestId: request.headers[fedHeaders.requestId] as string | undefined });
      if (fake.down) return request.socket.destroy();
      const now = Date.now() + fake.clockOffsetMs;
      const send = (status: number, value: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json', [fedHeaders.centralTime]: String(now) });
        response.end(JSON.stringify(value));
      };
      const route = url.pathname.slice(FED_PREFIX.length);
      if (route === '/health') return send(200, { ok: true });
      if (route === '/enroll') {
        const input = JSON.parse(body) as { code: string; deviceId: string; storeId: string; ownEvents: number };
        if (input.code !== fake.code) return send(401, { error: { message: 'unknown or used enrollment code' } });
        fake.storeId ??= input.storeId;
        const secret = randomBytes(32).toString('base64url');
        secrets.set(input.deviceId, secret);
        return send(200, { deviceId: input.deviceId, storeId: fake.storeId, secret, centralTime: new Date(now).toISOString() });
      }
      const deviceId = request.headers[fedHeaders.device] as string | undefined;
      const secret = deviceId ? secrets.get(deviceId) : undefined;
      const verdict = secret
        ? verifySignature(
            secret,
            { method: request.method ?? '', path: `${url.pathname}${url.search}`, timestampMs: Number(request.headers[fedHeaders.timestamp]), nonce: String(request.headers[fedHeaders.nonce]), body },
            String(request.headers[fedHeaders.signature]),
            now,
          )
        : { ok: false };
      if (!verdict.ok || !deviceId) return send(401, { error: { message: 'bad signature' } });
      if (route === '/push' && fake.failPushes) return send(500, { error: { message: 'injected' } });
      if (route === '/alerts') {
        const alert = JSON.parse(body) as { eventId: string; at: string; reason: string };
        if (!fake.alerts.some((a) => a.eventId === alert.eventId && a.at === alert.at)) fake.alerts.push({ deviceId, ...alert });
        return send(200, { recorded: true });
      }
      if (route === '/push') {
        const { events } = JSON.parse(body) as { events: WireEvent[] };
        const seqs = events.map((e) => e.device_seq);
        fake.pushes.push({ seqs, bytes: Buffer.byteLength(body) });
        fake.beforePush?.(seqs);
        return send(200, ingest(fake, deviceId, events));
      }
      if (route === '/checkpoint') return send(200, { ackedSeq: fake.ackedSeq(deviceId), lastHash: null });
      if (route === '/pull') {
        const after = Number(url.searchParams.get('after') ?? '0');
        const limit = Number(url.searchParams.get('limit') ?? '100');
        const page = fake.held.slice(after, after + limit);
        return send(200, {
          events: page.filter((e) => e.device_id !== deviceId),
          cursor: String(after + page.length),
          more: after + page.length < fake.held.length,
          centralTime: new Date(now).toISOString(),
        });
      }
      if (route === '/credentials' && request.method === 'POST') {
        const incoming = (JSON.parse(body) as { credentials: WireCredential[] }).credentials;
        const held = new Map<string, string>();
        for (const c of fake.credentials) held.set(credentialKey(c), c.hlc);
        const winners = mergeCredentials(held, incoming);
        fake.credentials = [...fake.credentials.filter((c) => !winners.some((w) => credentialKey(w) === credentialKey(c))), ...winners];
        return send(200, { stored: winners.length, stale: incoming.length - winners.length });
      }
      if (route === '/credentials') {
        // The list is rewritten on each store, so this fake always answers everything (a real cursor is the central's).
        return send(200, { credentials: fake.credentials, cursor: '0', more: false, restarted: false });
      }
      if (route === '/own') {
        const after = Number(url.searchParams.get('after') ?? '0');
        return send(200, { events: fake.held.filter((e) => e.device_id === deviceId && e.device_seq > after), more: false });
      }
      if (route === '/report') return send(200, { reconcile: null });
      send(404, { error: { message: 'no such route' } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** Same id and hash: held already; the next contiguous seq: stored; a refused id stops the batch there. */
function ingest(fake: FakeCentral, deviceId: string, events: WireEvent[]) {
  let inserted = 0;
  let duplicates = 0;
  for (const event of events) {
    if (fake.refuse?.eventId === event.event_id) return { ackedSeq: fake.ackedSeq(deviceId), inserted, duplicates, refused: fake.refuse };
    if (fake.held.some((e) => e.event_id === event.event_id)) duplicates += 1;
    else if (event.device_id === deviceId && event.device_seq === fake.ackedSeq(deviceId) + 1) {
      fake.held.push(event);
      inserted += 1;
    }
  }
  return { ackedSeq: fake.ackedSeq(deviceId), inserted, duplicates, refused: null };
}
