import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireCredential } from '../../shared/federation.js';
import { formatHlc } from '../../shared/hlc.js';
import { loadMigrations, migrate } from '../db/migrate.js';
import { openPostgres, type PostgresDb } from '../db/postgres.js';
import { migrationsDir } from '../runtime/paths.js';
import { saveCredential } from '../users/credentials.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { CentralRefused, type CentralClient } from './client.js';
import { applyCredentials, credentialBacklog, pendingCredentials, pullCredentials, pushCredentials } from './credentials.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let db: PostgresDb;
const STORE = '0190a0a0-0000-7000-8000-000000000001';
const DEVICE = '0190a0a0-0000-7000-8000-00000000000d';
const OTHER = '0190a0a0-0000-7000-8000-00000000000e';
const ANA = '0190a0a0-0000-7000-8000-0000000000a1';
const BETO = '0190a0a0-0000-7000-8000-0000000000b1';

beforeAll(async () => {
  database = await createTestDatabase('mostrador_terminal_creds');
  db = openPostgres(database.url);
}, 60_000);

afterAll(async () => {
  await db?.close();
  await database?.drop();
});

const held = (userId: string) =>
  db.query<{ hlc: string; hash: string }>('SELECT hlc, hash FROM user_credential WHERE store_id = $1 AND user_id = $2', [STORE, userId]);
const outbox = () => db.query<{ user_id: string; hlc: string }>('SELECT user_id::text, hlc FROM credential_outbox WHERE store_id = $1 ORDER BY user_id', [STORE]);
const remote = (userId: string, wall: number, hash: string): WireCredential => ({
  userId,
  kind: 'pin',
  hash: Buffer.from(hash.padEnd(32, '.')).toString('base64'),
  salt: Buffer.from('salt'.padEnd(16, '.')).toString('base64'),
  params: { N: 1024, r: 8, p: 1, keylen: 32 },
  hlc: formatHlc({ wall, counter: 0, node: OTHER }),
});

describe('credentials on a terminal (migration 0034, the outbox, last writer wins)', () => {
  it('migration 0034 gives the credentials a terminal already held a clock of their change, and queues them for the central', async () => {
    const all = loadMigrations(migrationsDir(), 'terminal');
    await migrate(db, all.filter((m) => m.number < 34));
    await db.query("INSERT INTO node_identity (device_id, store_id, role, currency) VALUES ($1, $2, 'terminal', 'ARS')", [DEVICE, STORE]);
    await db.query(
      `INSERT INTO user_credential (store_id, user_id, kind, hash, salt, params, updated_at)
       VALUES ($1, $2, 'password', 'aGFzaA==', 'c2FsdA==', '{"N":16384,"r":8,"p":1,"keylen":32}', '2026-03-01T12:00:00.123Z')`,
      [STORE, ANA],
    );
    await migrate(db, all);
    const wall = Date.parse('2026-03-01T12:00:00.123Z');
    expect(await held(ANA)).toEqual([{ hlc: formatHlc({ wall, counter: 0, node: DEVICE }), hash: 'aGFzaA==' }]);
    expect(await outbox()).toEqual([{ user_id: ANA, hlc: formatHlc({ wall, counter: 0, node: DEVICE }) }]);
  });

  it('a local change gets a clock after the version it replaces, even one from a device whose clock is ahead', async () => {
    const ahead = Date.now() + 3_600_000;
    await db.write((tx) => applyCredentials(tx, STORE, [remote(BETO, ahead, 'from-other')]));
    expect(await outbox()).toHaveLength(1);
    await db.query('INSERT INTO journal_head (store_id, device_id, seq, hash, hlc) VALUES ($1, $2, 0, $3, $4)', [STORE, DEVICE, 'genesis', formatHlc({ wall: 0, counter: 0, node: DEVICE })]);
    await db.write((tx) => saveCredential(tx, { storeId: STORE, deviceId: DEVICE, now: new Date() }, BETO, 'pin', '4321'));
    const [mine] = await held(BETO);
    expect(mine!.hlc).toBe(formatHlc({ wall: ahead, counter: 1, node: DEVICE }));
    expect(await outbox()).toEqual([{ user_id: ANA, hlc: expect.any(String) }, { user_id: BETO, hlc: mine!.hlc }]);
  });

  it('a pulled version older than a pending local change loses and the change stays queued; a newer one replaces it and unqueues it', async () => {
    const [mine] = await held(BETO);
    expect(await db.write((tx) => applyCredentials(tx, STORE, [remote(BETO, Date.now(), 'older')]))).toBe(0);
    expect(await held(BETO)).toEqual([mine]);
    expect((await outbox()).map((o) => o.user_id)).toEqual([ANA, BETO]);
    const newer = remote(BETO, Date.now() + 7_200_000, 'newer');
    // Two versions of one credential in a batch: the newest is stored.
    expect(await db.write((tx) => applyCredentials(tx, STORE, [remote(BETO, Date.now() + 5_000_000, 'between'), newer]))).toBe(1);
    expect(await held(BETO)).toEqual([{ hlc: newer.hlc, hash: newer.hash }]);
    expect((await outbox()).map((o) => o.user_id)).toEqual([ANA]);
  });

  it('the push sends hashes only, and empties the outbox once the central has answered', async () => {
    const sent: WireCredential[][] = [];
    const client = { pushCredentials: async (batch: WireCredential[]) => (sent.push(batch), { stored: batch.length, stale: 0 }) } as unknown as CentralClient;
    expect(await pendingCredentials(db, STORE)).toEqual([
      { userId: ANA, kind: 'password', hash: 'aGFzaA==', salt: 'c2FsdA==', params: { N: 16384, r: 8, p: 1, keylen: 32 }, hlc: expect.any(String) },
    ]);
    expect(await pushCredentials(db, client, STORE)).toBe(1);
    expect(sent).toHaveLength(1);
    expect(Object.keys(sent[0]![0]!).sort()).toEqual(['hash', 'hlc', 'kind', 'params', 'salt', 'userId']);
    expect(await credentialBacklog(db, STORE)).toBe(0);
    expect(await pushCredentials(db, client, STORE)).toBe(0);
  });

  it('a central restored from an older backup (the cursor is past its counter) gets every credential of this terminal again', async () => {
    const page = { credentials: [], cursor: '0', more: false, restarted: true };
    const client = { pullCredentials: async () => page } as unknown as CentralClient;
    expect(await pullCredentials(db, client, STORE)).toBe(0);
    expect((await outbox()).map((o) => o.user_id)).toEqual([ANA, BETO]);
    page.restarted = false;
    await db.query('DELETE FROM credential_outbox');
    await pullCredentials(db, client, STORE);
    expect(await outbox()).toEqual([]);
  });

  it('a central without the credentials routes (an older version) or refusing them leaves them queued, and the round goes on', async () => {
    await db.write((tx) => saveCredential(tx, { storeId: STORE, deviceId: DEVICE, now: new Date() }, ANA, 'password', 'correct horse'));
    const older = () => Promise.reject(new CentralRefused(404, 'the central refused GET /fed/v1/credentials (404): Nothing here'));
    const client = { pullCredentials: older, pushCredentials: older } as unknown as CentralClient;
    expect(await pullCredentials(db, client, STORE)).toBe(0);
    expect(await pushCredentials(db, client, STORE)).toBe(0);
    expect(await credentialBacklog(db, STORE)).toBeGreaterThan(0);
    const refusing = { pushCredentials: () => Promise.reject(new CentralRefused(400, 'bad')) } as unknown as CentralClient;
    expect(await pushCredentials(db, refusing, STORE)).toBe(0);
    expect(await credentialBacklog(db, STORE)).toBeGreaterThan(0);
    const down = { pushCredentials: () => Promise.reject(new Error('ECONNREFUSED')) } as unknown as CentralClient;
    await expect(pushCredentials(db, down, STORE)).rejects.toThrow('ECONNREFUSED');
  });
});
