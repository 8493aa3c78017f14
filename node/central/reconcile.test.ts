import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WireEvent } from '../../shared/federation.js';
import { createTestDatabase } from '../../test/support/postgres.js';
import { enrollDevice, fedCall, nextEvents, startTestCentral, type TestDevice } from '../../test/support/central.js';
import type { EventEnvelope } from '../../shared/events.js';
import { reconcile } from '../reconcile/reconcile.js';
import { dbPeer } from '../reconcile/local.js';
import type { ReconcilePeer } from '../reconcile/peer.js';
import type { RunningCentral } from './app.js';
import { centralReceiver } from './reconcile-routes.js';

let databases: Awaited<ReturnType<typeof createTestDatabase>>[] = [];
let restored: RunningCentral;
/** Another holder of the store's log (standing in for a terminal's database): it kept what the restore lost. */
let holder: RunningCentral;

beforeAll(async () => {
  databases = await Promise.all([createTestDatabase('mostrador_central_rec_a'), createTestDatabase('mostrador_central_rec_b')]);
  restored = await startTestCentral({ databaseUrl: databases[0]!.url });
  holder = await startTestCentral({ databaseUrl: databases[1]!.url });
}, 120_000);

afterAll(async () => {
  await Promise.all([restored?.close(), holder?.close()]);
  for (const d of databases) await d.drop();
});

/** The central's reconcile endpoints as a peer, signed as `device`. */
function httpPeer(url: string, device: TestDevice): ReconcilePeer {
  const post = async <T>(call: string, body: unknown): Promise<T> => {
    const reply = await fedCall<T>(url, device, 'POST', `/reconcile/${call}`, body);
    if (reply.status !== 200) throw new Error(`${call}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  return {
    vector: async (horizons) => (await post<{ devices: never[] }>('vector', horizons ? { horizons } : {})).devices,
    buckets: async (deviceId, day, horizon) => (await post<{ buckets: never[] }>('buckets', { deviceId, ...(day ? { day } : {}), ...(horizon ? { horizon } : {}) })).buckets,
    ids: async (deviceId, hour, horizon) => (await post<{ ids: never[] }>('ids', { deviceId, hour, ...(horizon ? { horizon } : {}) })).ids,
    events: async (ids) => (await post<{ events: EventEnvelope[] }>('events', { ids })).events,
    receive: (events) => post('receive', { events }),
  };
}

describe("reconciliation with the central's endpoints (R12)", () => {
  it('a central restored from an older backup gets back, through reconcile, the events another holder kept', async () => {
    const seller = await enrollDevice(restored);
    const [heldEverywhere, lostByTheRestore] = [nextEvents(seller, 10), nextEvents(seller, 25)];
    const sellerAtHolder = await enrollDevice(holder, seller.storeId);
    // The holder has the seller's whole log (as the other terminals of the store would, by pull).
    const holderReceive = centralReceiver(holder.central.db, seller.storeId);
    await holderReceive([...heldEverywhere, ...lostByTheRestore] as EventEnvelope[]);
    await fedCall(restored.url, seller, 'POST', '/push', { events: heldEverywhere });

    const local = dbPeer(holder.central.db, seller.storeId, holderReceive);
    const report = await reconcile(local, httpPeer(restored.url, seller));
    expect(report).toMatchObject({ outcome: 'converged', pushed: 25, pulled: 0 });
    expect((await fedCall<{ ackedSeq: number }>(restored.url, seller, 'GET', '/checkpoint')).body.ackedSeq).toBe(35);
    expect(await reconcile(local, httpPeer(restored.url, seller))).toMatchObject({ outcome: 'in-sync' });
    void sellerAtHolder;
  }, 120_000);

  it('refuses, through receive, an event that does not continue what the central holds', async () => {
    const a = await enrollDevice(restored);
    const events = nextEvents(a, 3);
    await fedCall(restored.url, a, 'POST', '/push', { events });
    const forged: WireEvent = { ...events[1]!, payload: { name: 'forged' } };
    const reply = await fedCall<{ applied: number; refused: unknown[] }>(restored.url, a, 'POST', '/reconcile/receive', { events: [forged] });
    expect(reply.body).toMatchObject({ applied: 0, refused: [{ eventId: forged.event_id }] });
    expect((await fedCall(restored.url, a, 'POST', '/reconcile/vector', { extra: 1 })).status).toBe(400);
  });
});
