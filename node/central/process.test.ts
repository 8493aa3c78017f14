import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireEvent } from '../../shared/federation.js';
import { newId } from '../../shared/ids.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { fedCall, nextEvents, spawnCentral, type TestDevice } from '../../test/support/central.js';
import { tempDir } from '../../test/support/tmp.js';
import { openCentralDb } from './database.js';
import { createEnrollmentCode } from './enrollment.js';

/** Two built central processes (`main.js --role central`) on one PostgreSQL database, as production runs them. */
let database: Awaited<ReturnType<typeof createTestDatabase>>;
const folders = [tempDir('mostrador-central-a-'), tempDir('mostrador-central-b-')];
let processes: Awaited<ReturnType<typeof spawnCentral>>[] = [];

beforeAll(async () => {
  database = await createTestDatabase('mostrador_central_proc');
  // Both start on the empty database at once: the migrations and the central's identity are taken once.
  processes = await Promise.all(folders.map((f) => spawnCentral(f.dir, { DATABASE_URL: database.url })));
}, 180_000);

afterAll(async () => {
  for (const p of processes) expect(await p.stop()).toBe(0);
  await database?.drop();
  folders.forEach((f) => f.remove());
});

async function enrollAt(url: string, storeId: string): Promise<TestDevice> {
  const central = await openCentralDb({ databaseUrl: database.url });
  const { code } = await createEnrollmentCode(central.db, { storeId }).finally(() => central.close());
  const deviceId = newId();
  const response = await fetch(`${url}/fed/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, deviceId, storeId, deviceName: 'Caja', ownEvents: 0 }),
  });
  const body = (await response.json()) as { secret: string };
  return { deviceId, storeId, secret: body.secret, head: { seq: 0, hash: '0'.repeat(64) } };
}

describe('two central processes on one PostgreSQL', () => {
  it('a device pushes to one and another device pulls it from the other', async () => {
    const [a, b] = processes as [(typeof processes)[0], (typeof processes)[0]];
    const storeId = newId();
    const seller = await enrollAt(a.url, storeId);
    const other = await enrollAt(b.url, storeId);
    const events = nextEvents(seller, 3);
    expect((await fedCall(b.url, seller, 'POST', '/push', { events })).body).toMatchObject({ ackedSeq: 3, inserted: 3 });
    const pulled = await fedCall<{ events: WireEvent[] }>(a.url, other, 'GET', '/pull?after=0');
    expect(pulled.body.events.map((e) => e.event_id)).toEqual(events.map((e) => e.event_id));
    expect(a.signInUrl).toMatch(/\?code=/);
  }, 60_000);
});
