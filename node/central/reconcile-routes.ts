import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GENESIS_HASH } from '../../shared/events.js';
import type { WireEvent } from '../../shared/federation.js';
import { FED_PREFIX } from '../../shared/federation.js';
import { bucketsRequest, eventsRequest, idsRequest, receiveRequest, vectorRequest, type ReceiveResult } from '../../shared/reconcile.js';
import { parseOrThrow } from '../api/errors.js';
import type { Db } from '../db/types.js';
import { dbPeer } from '../reconcile/local.js';
import type { ReconcilePeer } from '../reconcile/peer.js';
import { ingest } from './ingest.js';
import type { StoreNotifier } from './notify.js';
import type { SignedDevice } from './signature.js';

export const RECONCILE_PREFIX = `${FED_PREFIX}/reconcile`;

/**
 * How the central stores what reconciliation found it lacks (any device of the store, its own grants included after
 * it was restored from an older backup): through the same checks as a push, device by device in device_seq order
 * (hash, link to what it holds, store), so a replay can only continue a chain, never fork it.
 */
export function centralReceiver(db: Db, storeId: string): ReconcilePeer['receive'] {
  return async (incoming) => {
    const byDevice = new Map<string, WireEvent[]>();
    for (const e of incoming) byDevice.set(e.device_id, [...(byDevice.get(e.device_id) ?? []), e]);
    const result: ReceiveResult = { applied: 0, duplicates: 0, refused: [] };
    const devices = [...byDevice.keys()].sort();
    await db.query(`INSERT INTO journal_head (store_id, device_id, seq, hash, hlc) SELECT $1, d, 0, $3, '' FROM unnest($2::uuid[]) AS d ON CONFLICT DO NOTHING`, [
      storeId,
      devices,
      GENESIS_HASH,
    ]);
    for (const deviceId of devices) {
      const pushed = await ingest(db, { storeId, deviceId }, byDevice.get(deviceId)!);
      result.applied += pushed.inserted;
      result.duplicates += pushed.duplicates;
      if (pushed.refused) result.refused.push(pushed.refused);
    }
    return result;
  };
}

/**
 * Reconciliation (R12) with a device's node over HTTP: shared/reconcile.ts's calls, signed like every federation
 * request, answered from the central's own summaries (node/reconcile) for the calling device's store.
 */
export function registerReconcileRoutes(
  app: FastifyInstance,
  db: Db,
  notifier: StoreNotifier,
  hooks: { onRequest: (request: FastifyRequest) => Promise<void>; preHandler: (request: FastifyRequest) => Promise<void> },
  deviceOf: (request: FastifyRequest) => SignedDevice,
): void {
  const peerOf = (request: FastifyRequest) => {
    const { storeId } = deviceOf(request);
    return { storeId, peer: dbPeer(db, storeId, centralReceiver(db, storeId)) };
  };
  app.post(`${RECONCILE_PREFIX}/vector`, hooks, async (request) => {
    const { horizons } = parseOrThrow(vectorRequest, request.body);
    return { devices: await peerOf(request).peer.vector(horizons) };
  });
  app.post(`${RECONCILE_PREFIX}/buckets`, hooks, async (request) => {
    const input = parseOrThrow(bucketsRequest, request.body);
    return { buckets: await peerOf(request).peer.buckets(input.deviceId, input.day, input.horizon) };
  });
  app.post(`${RECONCILE_PREFIX}/ids`, hooks, async (request) => {
    const input = parseOrThrow(idsRequest, request.body);
    return { ids: await peerOf(request).peer.ids(input.deviceId, input.hour, input.horizon) };
  });
  app.post(`${RECONCILE_PREFIX}/events`, hooks, async (request) => {
    const { ids } = parseOrThrow(eventsRequest, request.body);
    return { events: await peerOf(request).peer.events(ids) };
  });
  app.post(`${RECONCILE_PREFIX}/receive`, hooks, async (request) => {
    const { events } = parseOrThrow(receiveRequest, request.body);
    const { storeId, peer } = peerOf(request);
    const result = await peer.receive(events as never);
    if (result.applied > 0) await notifier.publish(storeId);
    return result;
  });
}
