/**
 * bench:ingest — 50 simulated terminals (5 stores × 10 devices), each a signed HTTP client replaying its pre-made
 * batches (≤ 1 MB each) to ONE central process on PostgreSQL, all at once: every event verified (signature, hash,
 * chain link, device and store) and stored in its store's order. Baseline, same run, same PostgreSQL: COPY of the
 * same rows into a table of the same shape and indexes (server-side COPY from a file, as fast as PostgreSQL loads).
 * Last line: `events_per_s copy_per_s ratio` (ratio = events_per_s / copy_per_s).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { PayloadOf } from '../shared/events.js';
import { FED_PREFIX, type WireEvent } from '../shared/federation.js';
import { newId } from '../shared/ids.js';
import { signedHeaders } from '../node/central/signature.js';
import { nextEvents, type TestDevice } from '../test/support/central.js';
import { createTestDatabase } from '../test/support/postgres.js';
import { enrollmentCode, startCentralProcess } from './central-process.js';
import { fmt, lastLine, log, size } from './support.js';

const STORES = 5;
const DEVICES_PER_STORE = 10;
const BATCHES = size(10, 2);
/** About 900 bytes per event as generated: 1,000 fit a 1 MB batch. */
const EVENTS_PER_BATCH = size(1_000, 500);
const MAX_BATCH_BYTES = 1024 * 1024;

/** A sale as the counter writes it (the central reads it and folds sales and stock, as for a real terminal's). */
const PRODUCTS = [newId(), newId()];
const salePayload = (seq: number) =>
  ({
    saleId: newId(),
    tillSessionId: newId(),
    ticketId: null,
    cashierId: 'cajero',
    currency: 'ARS',
    lines: [
      { lineId: newId(), productId: PRODUCTS[0]!, name: 'Yerba mate 1 kg', barcode: null, quantity: 1000, unit: 'unit', unitPrice: 350_000, listPrice: 350_000, discount: 0, total: 350_000, taxRateBp: 2100, location: 'store' },
      { lineId: newId(), productId: PRODUCTS[1]!, name: 'Galletitas', barcode: null, quantity: 2000, unit: 'unit', unitPrice: 90_000, listPrice: 90_000, discount: 0, total: 180_000 + seq % 2, taxRateBp: 2100, location: 'store' },
    ],
    ticketDiscount: 0,
    total: 530_000 + (seq % 2),
    rounding: 0,
    taxes: [],
    tenders: [{ tenderId: newId(), kind: 'cash', amount: 530_000 + (seq % 2), received: 600_000, reference: null }],
    change: 70_000 - (seq % 2),
    fiscal: null,
    approvals: [],
  }) satisfies PayloadOf<'SaleCreated'>;

async function enroll(url: string, db: pg.Pool, storeId: string): Promise<TestDevice> {
  const code = await enrollmentCode(db, storeId);
  const deviceId = newId();
  const response = await fetch(`${url}${FED_PREFIX}/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, deviceId, storeId, deviceName: 'bench', ownEvents: 0 }),
  });
  const body = (await response.json()) as { secret: string };
  return { deviceId, storeId, secret: body.secret, head: { seq: 0, hash: '0'.repeat(64) } };
}

async function pushAll(url: string, device: TestDevice, bodies: string[]): Promise<number> {
  let inserted = 0;
  for (const body of bodies) {
    const pathname = `${FED_PREFIX}/push`;
    const response = await fetch(`${url}${pathname}`, {
      method: 'POST',
      headers: { ...signedHeaders(device, 'POST', pathname, body), 'content-type': 'application/json' },
      body,
    });
    const reply = (await response.json()) as { inserted: number; refused: unknown };
    if (response.status !== 200 || reply.refused) throw new Error(`push failed: ${response.status} ${JSON.stringify(reply)}`);
    inserted += reply.inserted;
  }
  return inserted;
}

const CSV_COLUMNS = ['store_id', 'event_id', 'command_id', 'device_id', 'device_seq', 'type', 'version', 'payload', 'actor_id', 'hlc', 'created_at', 'prev_hash', 'hash'] as const;
const csvField = (value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return `"${text.replace(/"/g, '""')}"`;
};

const csvLines = (events: readonly WireEvent[]) => events.map((e) => `${CSV_COLUMNS.map((c) => csvField(e[c])).join(',')}\n`).join('');

/** The same rows loaded by server-side COPY from a file written beforehand (only the COPY is timed). */
async function copyBaseline(pool: pg.Pool, file: string): Promise<number> {
  fs.chmodSync(file, 0o644);
  await pool.query('CREATE TABLE copy_events (LIKE events INCLUDING ALL)');
  const start = performance.now();
  await pool.query(`COPY copy_events (${CSV_COLUMNS.join(', ')}) FROM '${file}' WITH (FORMAT csv)`);
  return performance.now() - start;
}

async function main() {
  const database = await createTestDatabase('mostrador_bench_ingest');
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  const central = await startCentralProcess(database.url);
  const csv = path.join(os.tmpdir(), `mostrador-bench-ingest-${process.pid}.csv`);
  try {
    const devices: TestDevice[] = [];
    for (let s = 0; s < STORES; s++) {
      const storeId = newId();
      for (let d = 0; d < DEVICES_PER_STORE; d++) devices.push(await enroll(central.url, pool, storeId));
    }
    // The rows go to the COPY file as they are made; only the request bodies stay in memory.
    const fd = fs.openSync(csv, 'w');
    let total = 0;
    const bodies = devices.map((device) =>
      Array.from({ length: BATCHES }, () => {
        const events = nextEvents(device, EVENTS_PER_BATCH, 'SaleCreated', salePayload);
        fs.writeSync(fd, csvLines(events));
        total += events.length;
        const body = JSON.stringify({ events });
        if (Buffer.byteLength(body) > MAX_BATCH_BYTES) throw new Error(`a batch of ${Buffer.byteLength(body)} bytes is over 1 MB`);
        return body;
      }),
    );
    fs.closeSync(fd);
    const mb = bodies.flat().reduce((n, b) => n + Buffer.byteLength(b), 0) / 1024 / 1024;
    log(`${devices.length} clients, ${STORES} stores, ${total} events in ${BATCHES * devices.length} batches (${fmt(mb, 1)} MB)`);
    const start = performance.now();
    const inserted = (await Promise.all(devices.map((device, i) => pushAll(central.url, device, bodies[i]!)))).reduce((a, b) => a + b, 0);
    const ingestMs = performance.now() - start;
    if (inserted !== total) throw new Error(`inserted ${inserted} of ${total}`);
    const copyMs = await copyBaseline(pool, csv);
    const eventsPerS = total / (ingestMs / 1000);
    const copyPerS = total / (copyMs / 1000);
    log(`ingest ${fmt(ingestMs, 0)} ms over HTTP (signed, verified, store-ordered); COPY ${fmt(copyMs, 0)} ms`);
    lastLine({ events_per_s: fmt(eventsPerS, 0), copy_per_s: fmt(copyPerS, 0), ratio: fmt(eventsPerS / copyPerS, 3) });
  } finally {
    fs.rmSync(csv, { force: true });
    await central.stop();
    await pool.end();
    await database.drop();
  }
}

await main();
