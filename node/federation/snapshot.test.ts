import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../shared/canonical.js';
import { upcast, type EventDraft, type EventEnvelope } from '../../shared/events.js';
import { SNAPSHOT_FORMAT } from '../../shared/federation.js';
import { newId } from '../../shared/ids.js';
import { exportJournal } from '../cli/journal-file.js';
import { rebuildFromJournal } from '../cli/rebuild.js';
import { allProjections, route } from '../domains.js';
import { emptyHead, sealEvents, type ChainHead } from '../journal/chain.js';
import { foldEvents } from '../journal/projection.js';
import { applyRemoteEvents } from '../journal/remote.js';
import { verifyDeviceChain, verifyReadModels } from '../journal/verify.js';
import { applyReceiver, dbPeer, reconcileWith } from '../reconcile/index.js';
import { openDataDir, type OpenStore } from '../runtime/open.js';
import { tempDir } from '../../test/support/tmp.js';
import { installSnapshot, SnapshotStager, SnapshotUnusable, type SnapshotLine } from './snapshot.js';

const created = (productId: string, name: string, price = 150000): EventDraft => ({
  type: 'ProductCreated',
  payload: { productId, name, sku: null, barcodes: [], price, currency: 'ARS', cost: null, taxRateBp: 2100, category: null, unit: 'unit', trackStock: true, minStock: null },
});
const renamed = (productId: string, name: string): EventDraft => ({ type: 'ProductUpdated', payload: { productId, changes: { name }, basis: {} } });

/**
 * The horizon rules (docs/decisions/0012-snapshot.md) on two terminals in this process: `full` holds the whole log of
 * another device, `joined` started from a snapshot covering its first four events. Apply, chain verification,
 * reconciliation and the rebuild of the read models all start at the horizon on `joined`, and both end equal.
 */
describe('a terminal started from a snapshot', { timeout: 120_000 }, () => {
  const tmpFull = tempDir('mostrador-snap-full-');
  const tmpJoined = tempDir('mostrador-snap-joined-');
  let full: OpenStore;
  let joined: OpenStore;
  let storeId: string;
  const device = newId();
  const [p1, p2, p3] = [newId(), newId(), newId()];
  let log: EventEnvelope[];

  const chain = (head: ChainHead, drafts: EventDraft[]) =>
    sealEvents(head, drafts, { storeId, deviceId: device, commandId: newId(), actorId: 'cajero', now: new Date(), newId }).events;
  const headOf = (e: EventEnvelope): ChainHead => ({ seq: e.device_seq, hash: e.hash, hlc: e.hlc });
  const joinedScope = () => ({ storeId, deviceId: joined.identity.deviceId, mode: 'remote' as const });

  /** The snapshot of these events as the central would send it: every read model folded, in lines. */
  const snapshotOf = (events: EventEnvelope[]): SnapshotLine[] => {
    const folded = foldEvents(events.map(upcast), route);
    const chunks = [...folded].map(([projection, rows]) => ({ kind: 'rows' as const, projection: projection.name, rows: [...rows] }));
    const last = events.at(-1)!;
    const head = { kind: 'head' as const, format: SNAPSHOT_FORMAT, storeId, cursor: '4', takenAt: new Date().toISOString(), horizons: [{ deviceId: device, seq: last.device_seq, hash: last.hash, hlc: last.hlc }] };
    return [head, ...chunks, { kind: 'end', chunks: chunks.length, rows: chunks.reduce((sum, c) => sum + c.rows.length, 0) }];
  };
  /** Stages the lines on `joined` as the relay does; throws what the stager refuses. */
  const stage = async (lines: SnapshotLine[], forStore = storeId) => {
    const stager = new SnapshotStager(joined.db, forStore);
    await stager.discard();
    for (const line of lines) await stager.take(line);
    return stager.done();
  };

  beforeAll(async () => {
    [full, joined] = await Promise.all([openDataDir(tmpFull.dir), openDataDir(tmpJoined.dir)]);
    storeId = full.identity.storeId;
    const first = chain(emptyHead(device), [created(p1, 'Yerba'), created(p2, 'Azúcar'), renamed(p1, 'Yerba Mate'), created(p3, 'Sal')]);
    const rest = chain(headOf(first.at(-1)!), [renamed(p2, 'Azúcar 1 kg'), renamed(p3, 'Sal fina')]);
    log = [...first, ...rest];
    await applyRemoteEvents(full.db, { storeId, deviceId: full.identity.deviceId, mode: 'remote' }, log, route);
    const staged = await stage(snapshotOf(first));
    await joined.db.write((tx) => installSnapshot(tx, { storeId, deviceId: joined.identity.deviceId }, staged, allProjections));
  });
  afterAll(async () => {
    await Promise.all([full.close(), joined.close()]);
    tmpFull.remove();
    tmpJoined.remove();
  });

  it('refuses, as remote apply, a first event above the horizon that does not link to its hash, and an other event at it', async () => {
    const forged = chain({ ...headOf(log[3]!), hash: 'f'.repeat(64) }, [renamed(p1, 'Falsa')]);
    const result = await applyRemoteEvents(joined.db, joinedScope(), forged, route);
    expect(result.applied).toBe(0);
    expect(result.refused[0]!.reason).toMatch(/does not continue the chain/);
    const other = chain(headOf(log[2]!), [renamed(p3, 'Otra')]);
    const atHorizon = await applyRemoteEvents(joined.db, joinedScope(), other, route);
    expect(atHorizon.refused).toEqual([expect.objectContaining({ alarming: true, reason: expect.stringMatching(/not the event the snapshot covers/) })]);
  });

  it('takes the events above the horizon, counts those at or below it as held, and stores none of them', async () => {
    const result = await applyRemoteEvents(joined.db, joinedScope(), log, route);
    expect(result).toMatchObject({ applied: 2, duplicates: 4, refused: [], parked: [] });
    const held = await joined.db.query<{ device_seq: number }>('SELECT device_seq FROM events WHERE store_id = $1 AND device_id = $2 ORDER BY device_seq', [storeId, device]);
    expect(held.map((r) => Number(r.device_seq))).toEqual([5, 6]);
  });

  it('holds the same read models as the node that replayed the whole log', async () => {
    for (const projection of allProjections) {
      const [a, b] = await Promise.all([projection.loadAll(full.db, storeId), projection.loadAll(joined.db, storeId)]);
      expect(canonicalJson([...b].sort()), projection.name).toBe(canonicalJson([...a].sort()));
    }
    const names = await joined.db.query<{ name: string }>('SELECT name FROM products WHERE store_id = $1 ORDER BY name', [storeId]);
    expect(names.map((r) => r.name)).toEqual(['Azúcar 1 kg', 'Sal fina', 'Yerba Mate']);
  });

  it('verifies the chain from the horizon', async () => {
    expect(await verifyDeviceChain(joined.db, storeId, device)).toEqual({ ok: true, checked: 2, head: log.at(-1)!.hash });
    // The same log without the horizon does not verify: its first event does not follow the genesis.
    await joined.db.write((tx) => tx.query('UPDATE snapshot_horizon SET seq = 3 WHERE store_id = $1', [storeId]));
    expect(await verifyDeviceChain(joined.db, storeId, device)).toMatchObject({ ok: false, kind: 'gap' });
    await joined.db.write((tx) => tx.query('UPDATE snapshot_horizon SET seq = 4 WHERE store_id = $1', [storeId]));
  });

  it('rebuilds its read models from the snapshot rows plus the events above the horizon', async () => {
    expect(await verifyReadModels(joined.db, storeId, allProjections, route)).toEqual([]);
    // Without the kept rows the rebuild would lose what the snapshot brought: the verifier says so.
    const kept = await joined.db.query<{ projection: string; chunk: number; rows: unknown }>('SELECT projection, chunk, rows FROM snapshot_rows WHERE store_id = $1', [storeId]);
    await joined.db.write((tx) => tx.query('DELETE FROM snapshot_rows WHERE store_id = $1', [storeId]));
    expect((await verifyReadModels(joined.db, storeId, allProjections, route)).length).toBeGreaterThan(0);
    await joined.db.write(async (tx) => {
      for (const k of kept) await tx.query('INSERT INTO snapshot_rows (store_id, projection, chunk, rows) VALUES ($1, $2, $3, $4::jsonb)', [storeId, k.projection, k.chunk, JSON.stringify(k.rows)]);
    });
    expect(await verifyReadModels(joined.db, storeId, allProjections, route)).toEqual([]);
  });

  it('reconciles with a holder of the whole log from the horizon: in sync', async () => {
    const peer = dbPeer(full.db, storeId, applyReceiver(full.db, storeId, full.identity.deviceId, route));
    const local = { db: joined.db, storeId, deviceId: joined.identity.deviceId, route };
    expect(await reconcileWith(local, peer)).toMatchObject({ outcome: 'in-sync' });
    // Ignoring the horizon, the first four events look missing here (and can never be stored: no progress).
    expect(await reconcileWith({ ...local, horizons: {} }, peer)).not.toMatchObject({ outcome: 'in-sync' });
  });

  it('exports its journal with the snapshot, and a rebuild from that file starts from it', async () => {
    const out = tempDir('mostrador-snap-rebuild-');
    try {
      const file = path.join(out.dir, 'journal.sqlite');
      await exportJournal(joined.db, { ...joined.identity, storeId }, file);
      const report = await rebuildFromJournal(file, path.join(out.dir, 'rebuilt'));
      expect(report).toMatchObject({ events: 2, drift: [], chain: { ok: true } });
      const rebuilt = await openDataDir(path.join(out.dir, 'rebuilt'));
      try {
        for (const projection of allProjections) {
          const [a, b] = await Promise.all([projection.loadAll(full.db, storeId), projection.loadAll(rebuilt.db, storeId)]);
          expect(canonicalJson([...b].sort()), projection.name).toBe(canonicalJson([...a].sort()));
        }
        expect(await verifyDeviceChain(rebuilt.db, storeId, device)).toMatchObject({ ok: true, checked: 2 });
      } finally {
        await rebuilt.close();
      }
    } finally {
      out.remove();
    }
  });

  it('refuses a snapshot that is cut, of another store, or covering this device', async () => {
    const other = newId();
    const head = { kind: 'head' as const, format: SNAPSHOT_FORMAT, storeId: other, cursor: '1', takenAt: new Date().toISOString(), horizons: [] };
    await expect(stage([head], other)).rejects.toThrow(SnapshotUnusable);
    await expect(stage([head, { kind: 'rows', projection: 'products', rows: [['a', {}]] }, { kind: 'end', chunks: 1, rows: 2 }], other)).rejects.toThrow(/not whole/);
    await expect(stage([{ kind: 'end', chunks: 0, rows: 0 }], other)).rejects.toThrow(/no head/);
    await expect(stage([head, { kind: 'end', chunks: 0, rows: 0 }])).rejects.toThrow(/is of store/);
    expect((await stage([head, { kind: 'end', chunks: 0, rows: 0 }], other)).rows).toBe(0);
    const scope = { storeId: other, deviceId: joined.identity.deviceId };
    const own = { head: { ...head, horizons: [{ deviceId: scope.deviceId, seq: 1, hash: 'a', hlc: '' }] }, rows: 0 };
    await expect(joined.db.write((tx) => installSnapshot(tx, scope, own, allProjections))).rejects.toThrow(/own tail/);
    await expect(joined.db.write((tx) => installSnapshot(tx, { ...scope, storeId: newId() }, own, allProjections))).rejects.toThrow(/is of store/);
  });
});
