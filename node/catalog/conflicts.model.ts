import type { ProductEvent } from './products.model.js';

/**
 * The conflict log of the catalog (R8): which writes lost, last-writer-wins by HLC, to a CONCURRENT write of another
 * device. "Concurrent" is defined by what each writer had seen: every ProductUpdated / PriceChanged carries, per
 * field it changes, the clock of the value it replaced on its device (`basis`). Write W saw write L when
 * L.hlc ≤ W.basis: W's device held L's value, or a newer one, when W was written. A write L that loses to W
 * (L.hlc < W.hlc) is a conflict when W had not seen it (W.basis < L.hlc); an older write that merely arrives late
 * at a node, after a newer write made with it in hand, is not. Without a basis (a creation, v1 events) a write is
 * never called concurrent.
 *
 * To converge on every node whatever order events arrive in, the log is a pure function of a bounded SET of
 * writes: per field, the KEEP writes with the highest clocks. The same events give the same rows everywhere, so
 * the rebuild verifier and the federation's digests hold. Conflicts among writes older than the newest KEEP of a
 * field are not reported (a field rewritten that often is not in doubt any more).
 */
export const KEEP = 8;

export interface FieldWrite {
  hlc: string;
  /** The clock of the value this write replaced on its device; null when unknown. */
  basis: string | null;
  eventId: string;
  deviceId: string;
  actorId: string;
  at: string;
  value: unknown;
}

export interface Conflict {
  field: string;
  strategy: 'lww-hlc';
  /** The winner's time (its event's created_at): the log is read by date. */
  at: string;
  winner: FieldWrite;
  losers: FieldWrite[];
}

export interface ConflictRow {
  productId: string;
  /** Per field, the newest writes (highest clock first), at most KEEP. */
  fields: Record<string, FieldWrite[]>;
  conflicts: Conflict[];
}

type Changes = Record<string, { value: unknown; basis: string | null }>;

function changesOf(event: ProductEvent): Changes {
  switch (event.type) {
    case 'ProductCreated': {
      const { productId: _id, ...fields } = event.payload;
      return Object.fromEntries(Object.entries(fields).map(([field, value]) => [field, { value, basis: null }]));
    }
    case 'ProductUpdated': {
      const basis = event.payload.basis ?? {};
      return Object.fromEntries(
        Object.entries(event.payload.changes)
          .filter(([, value]) => value !== undefined)
          .map(([field, value]) => [field, { value, basis: basis[field] ?? null }]),
      );
    }
    case 'PriceChanged':
      return { price: { value: { price: event.payload.price, currency: event.payload.currency }, basis: event.payload.basis ?? null } };
  }
}

/** Pure: the conflict row after one product event. */
export function applyConflictEvent(row: ConflictRow | undefined, event: ProductEvent, productId: string): ConflictRow {
  const fields = { ...(row?.fields ?? {}) };
  for (const [field, change] of Object.entries(changesOf(event))) {
    const write: FieldWrite = {
      hlc: event.hlc,
      basis: change.basis,
      eventId: event.event_id,
      deviceId: event.device_id,
      actorId: event.actor_id,
      at: event.created_at,
      value: change.value,
    };
    const writes = (fields[field] ?? []).filter((w) => w.eventId !== event.event_id);
    fields[field] = [...writes, write].sort((a, b) => (a.hlc < b.hlc ? 1 : a.hlc > b.hlc ? -1 : 0)).slice(0, KEEP);
  }
  return { productId, fields, conflicts: conflictsOf(fields) };
}

const saw = (writer: FieldWrite, other: FieldWrite): boolean => writer.deviceId === other.deviceId || (writer.basis !== null && writer.basis >= other.hlc);

/**
 * Each losing write with the newest write of another device that beat it without having seen it; grouped by
 * winner. Deterministic: a function of the kept writes only, in a fixed order.
 */
export function conflictsOf(fields: Record<string, FieldWrite[]>): Conflict[] {
  const out: Conflict[] = [];
  for (const field of Object.keys(fields).sort()) {
    const writes = fields[field]!; // newest first
    const byWinner = new Map<FieldWrite, FieldWrite[]>();
    writes.forEach((loser, i) => {
      const winner = writes.slice(0, i).find((w) => w.hlc > loser.hlc && w.basis !== null && !saw(w, loser));
      if (winner) byWinner.set(winner, [...(byWinner.get(winner) ?? []), loser]);
    });
    for (const [winner, losers] of byWinner) out.push({ field, strategy: 'lww-hlc', at: winner.at, winner, losers });
  }
  return out;
}
