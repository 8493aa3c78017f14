import { upcast, type EventEnvelope } from '../../shared/events.js';
import { formatHlc, parseHlc, receiveHlc } from '../../shared/hlc.js';
import type { Db, WriteTx } from '../db/types.js';
import type { Identity } from '../runtime/identity.js';
import { createLogger } from '../log.js';
import { eventHash } from './chain.js';
import { projectEvents, ProjectionState, type Route } from './projection.js';
import { INSERT_EVENTS } from './store.js';

const log = createLogger('journal');

export interface Refusal {
  event_id: string;
  reason: string;
}

export interface RemoteApplyResult {
  applied: number;
  duplicates: number;
  refused: Refusal[];
  topics: string[];
}

/**
 * Applies events that came from elsewhere (pulled from the central, replayed from an export) in ONE transaction:
 * insert-if-absent by event_id, then the same projector a local command uses, so a replay changes nothing and a
 * read model cannot tell local from remote. An event whose content does not match its hash, an id seen with other
 * content, or a device_seq already taken by another event is refused and reported, never applied.
 */
export async function applyRemoteEvents(
  db: Db,
  identity: Identity,
  incoming: readonly EventEnvelope[],
  route: Route,
): Promise<RemoteApplyResult> {
  const refused: Refusal[] = [];
  const candidates = incoming.filter((e) => {
    if (e.store_id !== identity.storeId) refused.push({ event_id: e.event_id, reason: `belongs to store ${e.store_id}` });
    else if (eventHash(e) !== e.hash) refused.push({ event_id: e.event_id, reason: 'content does not match its hash' });
    else return true;
    return false;
  });
  const result = await db.write(async (tx) => {
    const existing = await tx.query<{ event_id: string; device_id: string; device_seq: number; hash: string }>(
      `SELECT event_id::text AS event_id, device_id::text AS device_id, device_seq, hash FROM events
       WHERE store_id = $1 AND (event_id = ANY($2::uuid[])
         OR (device_id, device_seq) IN (SELECT * FROM unnest($3::uuid[], $4::bigint[])))`,
      [identity.storeId, candidates.map((e) => e.event_id), candidates.map((e) => e.device_id), candidates.map((e) => e.device_seq)],
    );
    const byId = new Map(existing.map((r) => [r.event_id, r]));
    const bySeq = new Map(existing.map((r) => [`${r.device_id}/${r.device_seq}`, r]));
    const fresh: EventEnvelope[] = [];
    let duplicates = 0;
    const seen = new Set<string>();
    for (const event of candidates) {
      const sameId = byId.get(event.event_id);
      const sameSeq = bySeq.get(`${event.device_id}/${event.device_seq}`);
      if (sameId) {
        if (sameId.hash === event.hash) duplicates++;
        else refused.push({ event_id: event.event_id, reason: 'an event with this id but other content is already stored' });
      } else if (sameSeq || seen.has(`${event.device_id}/${event.device_seq}`)) {
        refused.push({ event_id: event.event_id, reason: `device ${event.device_id} seq ${event.device_seq} is already another event` });
      } else {
        seen.add(`${event.device_id}/${event.device_seq}`);
        fresh.push(event);
      }
    }
    if (fresh.length === 0) return { applied: 0, duplicates, topics: [] };
    await tx.query(INSERT_EVENTS, [JSON.stringify(fresh)]);
    const state = new ProjectionState(tx, identity.storeId);
    await projectEvents(state, fresh.map(upcast), route);
    await advanceClock(tx, identity, fresh);
    return { applied: fresh.length, duplicates, topics: state.topics };
  });
  if (refused.length > 0) log.warn({ refused }, 'remote events refused');
  return { ...result, refused };
}

/** The next local event must come after everything this node has seen (hybrid logical clock). */
async function advanceClock(tx: WriteTx, identity: Identity, events: readonly EventEnvelope[]) {
  const [head] = await tx.query<{ hlc: string }>('SELECT hlc FROM journal_head WHERE store_id = $1 AND device_id = $2 FOR UPDATE', [identity.storeId, identity.deviceId]);
  if (!head) return;
  const newest = events.reduce((max, e) => (e.hlc > max ? e.hlc : max), '');
  const merged = receiveHlc(parseHlc(head.hlc), parseHlc(newest), Date.now(), identity.deviceId);
  await tx.query('UPDATE journal_head SET hlc = $3 WHERE store_id = $1 AND device_id = $2', [identity.storeId, identity.deviceId, formatHlc(merged)]);
}
