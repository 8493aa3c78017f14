import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { EventEnvelope } from '../../shared/events.js';
import { newId } from '../../shared/ids.js';
import type { Db } from '../db/types.js';
import { route } from '../domains.js';
import { applyRemoteEvents } from '../journal/remote.js';
import { INSERT_EVENTS } from '../journal/store.js';
import { openDataDir, type OpenStore } from '../runtime/open.js';
import { deviceLog } from '../../test/support/eventlog.js';
import { tempDir } from '../../test/support/tmp.js';
import { combineHashes, sumToHex } from './combine.js';
import { applyReceiver, dbPeer } from './local.js';
import type { ReconcilePeer } from './peer.js';
import { reconcile } from './reconcile.js';

const heldIds = async (db: Db, storeId: string) =>
  (await db.query<{ id: string }>('SELECT event_id::text AS id FROM events WHERE store_id = $1 ORDER BY 1', [storeId])).map((r) => r.id);

describe('combined hashes', () => {
  const hex = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex'));
  it('a duplicate never cancels out (a sum modulo 2^256, not an XOR), and order does not matter', () => {
    fc.assert(
      fc.property(fc.array(hex, { maxLength: 20 }), hex, (hashes, dup) => {
        fc.pre(!/^0+$/.test(dup));
        expect(combineHashes([...hashes, dup, dup])).not.toBe(combineHashes(hashes));
        expect(combineHashes([...hashes].reverse())).toBe(combineHashes(hashes));
      }),
    );
  });
  it('reads the database numeric as 64 hex digits', () => {
    expect(sumToHex('255')).toBe(`${'0'.repeat(62)}ff`);
    expect(sumToHex('0.000')).toBe('0'.repeat(64));
  });
});

describe('reconciliation between two PGlite databases', () => {
  const tmpA = tempDir('mostrador-recon-a-');
  const tmpB = tempDir('mostrador-recon-b-');
  let a: OpenStore;
  let b: OpenStore;
  let storeId: string;
  let peerA: ReconcilePeer;
  let peerB: ReconcilePeer;
  const x = newId();
  const y = newId();
  let logX: EventEnvelope[];
  let logY: EventEnvelope[];

  beforeAll(async () => {
    // A is a terminal of the store; B holds the same store as a central does (it serves many stores).
    [a, b] = await Promise.all([openDataDir(tmpA.dir), openDataDir(tmpB.dir, { role: 'central' })]);
    storeId = a.identity.storeId;
    peerA = dbPeer(a.db, storeId, applyReceiver(a.db, storeId, a.identity.deviceId, route));
    peerB = dbPeer(b.db, storeId, applyReceiver(b.db, storeId, b.identity.deviceId, route));
    logX = deviceLog(storeId, x, 120);
    logY = deviceLog(storeId, y, 40, Date.UTC(2026, 10, 3, 8, 0));
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    tmpA.remove();
    tmpB.remove();
  });

  const apply = (side: OpenStore, events: EventEnvelope[]) =>
    applyRemoteEvents(side.db, { storeId, deviceId: side.identity.deviceId, mode: 'remote' }, events, route);

  it('keeps each summary in the same transaction as the events, equal to the log recomputed, duplicates ignored', async () => {
    await apply(a, logX.slice(0, 100));
    await apply(b, logX.slice(0, 100));
    await apply(b, logX.slice(0, 100)); // a repeated delivery stores nothing and changes no summary
    const [summary] = await b.db.query<{ events: number; hash_sum: string }>('SELECT events, hash_sum::text AS hash_sum FROM recon_device WHERE store_id = $1 AND device_id = $2', [storeId, x]);
    expect(summary!.events).toBe(100);
    expect(sumToHex(summary!.hash_sum)).toBe(combineHashes(logX.slice(0, 100).map((e) => e.hash)));
    const hours = await b.db.query<{ n: number }>('SELECT sum(events)::int8 AS n FROM recon_hour WHERE store_id = $1 AND device_id = $2', [storeId, x]);
    expect(hours[0]!.n).toBe(100);
  });

  it('in sync: one vector from each side and nothing else', async () => {
    const calls: string[] = [];
    const counted = (peer: ReconcilePeer): ReconcilePeer => ({
      vector: (h) => (calls.push('vector'), peer.vector(h)),
      buckets: (d, day, h) => (calls.push('buckets'), peer.buckets(d, day, h)),
      ids: (d, hour, h) => (calls.push('ids'), peer.ids(d, hour, h)),
      events: (ids) => (calls.push('events'), peer.events(ids)),
      receive: (e) => (calls.push('receive'), peer.receive(e)),
    });
    const report = await reconcile(counted(peerA), counted(peerB));
    expect(report).toMatchObject({ outcome: 'in-sync', rounds: 1, pulled: 0, pushed: 0 });
    expect(calls).toEqual(['vector', 'vector']);
  });

  it('replays what each side misses, both ways, through remote apply, and both logs end equal', async () => {
    await apply(a, logX.slice(100)); // B misses X's tail
    await apply(b, logY); // A misses all of Y
    const report = await reconcile(peerA, peerB);
    expect(report).toMatchObject({ outcome: 'converged', pulled: 40, pushed: 20, tampered: [], forks: [], refused: [] });
    expect(report.devices).toEqual([x, y].sort());
    expect(await heldIds(a.db, storeId)).toEqual(await heldIds(b.db, storeId));
    const names = await a.db.query<{ n: number }>('SELECT count(*)::int8 AS n FROM products WHERE store_id = $1', [storeId]);
    expect(names[0]!.n).toBe(160); // projected, not only stored
    expect((await reconcile(peerA, peerB)).outcome).toBe('in-sync');
  });

  it('costs what the divergence costs: one missing event is one hour of ids, whatever the history', async () => {
    const calls: string[] = [];
    const counted = (peer: ReconcilePeer): ReconcilePeer => ({
      vector: (h) => (calls.push('vector'), peer.vector(h)),
      buckets: (d, day, h) => (calls.push(day ? 'hours' : 'days'), peer.buckets(d, day, h)),
      ids: (d, hour, h) => (calls.push('ids'), peer.ids(d, hour, h)),
      events: (ids) => (calls.push(`events:${ids.length}`), peer.events(ids)),
      receive: (e) => (calls.push(`receive:${e.length}`), peer.receive(e)),
    });
    const last = logX.at(-1)!;
    const [one] = deviceLog(storeId, x, 1, Date.parse(last.created_at) + 3 * 86_400_000, { seq: last.device_seq, hash: last.hash, hlc: last.hlc });
    await apply(a, [one!]);
    const report = await reconcile(counted(peerA), counted(peerB));
    expect(report).toMatchObject({ outcome: 'converged', pushed: 1, pulled: 0 });
    expect(calls.sort()).toEqual(['days', 'days', 'events:1', 'hours', 'hours', 'ids', 'ids', 'receive:1', 'vector', 'vector', 'vector', 'vector'].sort());
  });

  it('reports a tampered event (same id, other hash), does not replay it, and stops on no progress saying why', async () => {
    const z = newId();
    const logZ = deviceLog(storeId, z, 6, Date.UTC(2026, 10, 5, 10, 0));
    await apply(a, logZ);
    await apply(b, logZ.slice(0, 3));
    // B's log was altered: Z's 4th event is there with other content under the same id (raw insert, no checks).
    const altered = { ...logZ[3]!, actor_id: 'otro', hash: 'f'.repeat(64) };
    await b.db.write((tx) => tx.query(INSERT_EVENTS, [JSON.stringify([altered])]));
    const report = await reconcile(peerA, peerB);
    expect(report.outcome).toBe('stalled');
    expect(report.tampered).toEqual([{ eventId: logZ[3]!.event_id, deviceId: z, deviceSeq: 4, localHash: logZ[3]!.hash, remoteHash: 'f'.repeat(64) }]);
    expect(report.reason).toMatch(/same id and another hash/);
    // Its successors cannot continue B's altered chain: refused by B's own checks, said, never forced in.
    expect(report.refused.every((r) => r.side === 'remote')).toBe(true);
    const [held] = await b.db.query<{ hash: string }>('SELECT hash FROM events WHERE store_id = $1 AND event_id = $2', [storeId, logZ[3]!.event_id]);
    expect(held!.hash).toBe('f'.repeat(64));
  });

  it('stops on lack of progress, not on a pass count, when the receiving side refuses everything', async () => {
    const w = newId();
    const logW = deviceLog(storeId, w, 3, Date.UTC(2026, 10, 6, 10, 0));
    await apply(a, logW);
    const offered: string[] = [];
    const refusing: ReconcilePeer = { ...peerB, receive: async (events) => (offered.push(...events.map((e) => e.event_id)), { applied: 0, duplicates: 0, refused: events.map((e) => ({ eventId: e.event_id, reason: 'read only' })) }) };
    const report = await reconcile(peerA, refusing);
    expect(report.outcome).toBe('stalled');
    expect(report.rounds).toBe(1);
    expect(offered).toEqual(expect.arrayContaining(logW.map((e) => e.event_id)));
    expect(report.reason).toMatch(/refused by the receiving side \(first: read only\)/);
  });

  it('from the snapshot horizon: events at or below it are not expected', async () => {
    const v = newId();
    const logV = deviceLog(storeId, v, 10, Date.UTC(2026, 10, 7, 10, 0));
    await apply(a, logV);
    // B started from a snapshot covering V up to seq 6: it holds only what came after.
    await b.db.write((tx) => tx.query(INSERT_EVENTS, [JSON.stringify(logV.slice(6))]));
    const before = await peerB.vector({ [v]: 6 });
    expect(before.find((d) => d.deviceId === v)).toMatchObject({ count: 4, contiguousSeq: 10 });
    const horizons = { [v]: 6 };
    const vA = (await peerA.vector(horizons)).find((d) => d.deviceId === v);
    expect(vA).toEqual(before.find((d) => d.deviceId === v));
    const withoutHorizon = (await peerB.vector()).find((d) => d.deviceId === v);
    expect(withoutHorizon).toMatchObject({ count: 4, contiguousSeq: 0 });
  });
});
