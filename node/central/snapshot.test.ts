import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FED_PREFIX, snapshotLine, type SnapshotHead, type SnapshotRows } from '../../shared/federation.js';
import { newId } from '../../shared/ids.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { enrollDevice, fedCall, nextEvents, startTestCentral, type TestDevice } from '../../test/support/central.js';
import type { RunningCentral } from './app.js';
import { signedHeaders } from './signature.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let central: RunningCentral;

beforeAll(async () => {
  database = await createTestDatabase('mostrador_central_snapshot');
  central = await startTestCentral({ databaseUrl: database.url, rateLimit: { max: 1_000_000, windowMs: 60_000 } });
}, 120_000);

afterAll(async () => {
  await central?.close();
  await database?.drop();
});

const product = (seq: number) => ({
  productId: newId(),
  name: `Producto ${seq}`,
  sku: null,
  barcodes: [],
  price: 1000 + seq,
  currency: 'ARS',
  cost: null,
  taxRateBp: 2100,
  category: null,
  unit: 'unit',
  trackStock: false,
  minStock: null,
});

/** GET /fed/v1/snapshot signed by `device`, gzipped on the wire like the relay's, read whole. */
async function snapshotFor(device: TestDevice): Promise<{ status: number; snapshot?: Snapshot }> {
  const path = `${FED_PREFIX}/snapshot`;
  const response = await fetch(`${central.url}${path}`, { headers: signedHeaders(device, 'GET', path, undefined) });
  const text = await response.text();
  if (response.status !== 200) return { status: response.status };
  const lines = text.split('\n').filter((l) => l !== '').map((l) => snapshotLine.parse(JSON.parse(l)));
  const [head, ...rest] = lines;
  const end = rest.pop();
  const chunks = rest.filter((l): l is SnapshotRows => l.kind === 'rows');
  if (head?.kind !== 'head' || end?.kind !== 'end' || end.chunks !== chunks.length) throw new Error('not one whole snapshot');
  return { status: 200, snapshot: { head, chunks } };
}

interface Snapshot {
  head: SnapshotHead;
  chunks: SnapshotRows[];
}

describe('the store snapshot (docs/decisions/0012-snapshot.md)', () => {
  it('is a prefix of the store order even while devices push: rows and horizons are exactly the events up to its cursor', async () => {
    const a = await enrollDevice(central);
    const b = await enrollDevice(central, a.storeId);
    const reader = await enrollDevice(central, a.storeId);
    const pushes = async (device: TestDevice) => {
      for (let i = 0; i < 15; i++) {
        const reply = await fedCall(central.url, device, 'POST', '/push', { events: nextEvents(device, 20, 'ProductCreated', product) });
        expect(reply.status).toBe(200);
      }
    };
    const taken: Snapshot[] = [];
    const snapshots = async () => {
      for (let i = 0; i < 12; i++) {
        const { status, snapshot } = await snapshotFor(reader);
        expect(status).toBe(200);
        taken.push(snapshot!);
      }
    };
    await Promise.all([pushes(a), pushes(b), snapshots()]);
    taken.push((await snapshotFor(reader)).snapshot!);
    for (const snapshot of taken) {
      const cursor = Number(snapshot.head.cursor);
      const prefix = await central.central.db.query<{ device_id: string; n: number; max: number }>(
        'SELECT device_id::text AS device_id, count(*)::int AS n, max(device_seq)::int AS max FROM events WHERE store_id = $1 AND store_seq <= $2 GROUP BY 1 ORDER BY 1',
        [a.storeId, cursor],
      );
      const horizons = Object.fromEntries(snapshot.head.horizons.map((h) => [h.deviceId, h.seq]));
      expect(horizons).toEqual(Object.fromEntries(prefix.map((p) => [p.device_id, p.max])));
      const products = snapshot.chunks.filter((c) => c.projection === 'products').reduce((sum, c) => sum + c.rows.length, 0);
      expect(products).toBe(prefix.reduce((sum, p) => sum + p.n, 0));
    }
    const last = taken.at(-1)!;
    expect(last.head.horizons.map((h) => h.seq)).toEqual([15 * 20, 15 * 20]);
    // The horizon's hash is the device's last event's: the next event links to it.
    const [head] = await central.central.db.query<{ hash: string }>('SELECT hash FROM events WHERE store_id = $1 AND device_id = $2 AND device_seq = 300', [a.storeId, a.deviceId]);
    expect(last.head.horizons.find((h) => h.deviceId === a.deviceId)!.hash).toBe(head!.hash);
  });

  it('travels gzipped when the client takes it, and refuses an unsigned call', async () => {
    const device = await enrollDevice(central);
    const path = `${FED_PREFIX}/snapshot`;
    const zipped = await fetch(`${central.url}${path}`, { headers: { ...signedHeaders(device, 'GET', path, undefined), 'accept-encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(zipped.headers.get('content-type')).toMatch(/ndjson/);
    await zipped.text();
    expect((await fetch(`${central.url}${path}`)).status).toBe(401);
  });

  it("is refused while the store's read models at the central missed a batch (the terminal then replays the history)", async () => {
    const device = await enrollDevice(central);
    await central.central.db.write((tx) =>
      tx.query('INSERT INTO central_alerts (store_id, alert_id, device_id, event_id, reason) VALUES ($1, $2, $3, $4, $5)', [
        device.storeId,
        newId(),
        device.deviceId,
        newId(),
        'read models refused the batch: test',
      ]),
    );
    expect((await snapshotFor(device)).status).toBe(409);
  });
});
