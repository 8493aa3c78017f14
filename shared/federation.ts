import { z } from 'zod';
import { federationStatusSchema } from './contract/federation.js';

/**
 * The wire between a node's relay and the central (DESIGN.md "Federation"). Every request but `health` and
 * `enroll` is signed with the device's secret: HMAC-SHA256 over
 *   `${METHOD}\n${path with query}\n${timestamp ms}\n${nonce}\n${hex sha256 of the raw body ('' for none)}`
 * in the headers below. The central refuses a timestamp outside ±5 minutes of its clock, a nonce it has seen
 * (kept in PostgreSQL, so several central processes agree), a wrong signature and a revoked device (401, logged).
 * `x-request-id` carries one correlation id from the UI through the node to the central (R20).
 */
export const FED_PREFIX = '/fed/v1';
export const fedHeaders = {
  device: 'x-mostrador-device',
  timestamp: 'x-mostrador-timestamp',
  nonce: 'x-mostrador-nonce',
  signature: 'x-mostrador-signature',
  requestId: 'x-request-id',
  /** On every answer of the central, refusals included: its clock in ms (a skewed terminal signs with it). */
  centralTime: 'x-mostrador-central-time',
} as const;
export const SIGNATURE_WINDOW_MS = 5 * 60 * 1000;

/** An event as it travels: the journal row, hash-chained per device (see node/journal/chain.ts). */
export const wireEventSchema = z.object({
  event_id: z.string().uuid(),
  command_id: z.string().uuid().nullable(),
  store_id: z.string().uuid(),
  device_id: z.string().uuid(),
  device_seq: z.number().int().positive(),
  type: z.string().max(64),
  version: z.number().int().positive(),
  payload: z.unknown(),
  actor_id: z.string().max(128),
  hlc: z.string().max(64),
  created_at: z.string().max(40),
  prev_hash: z.string().max(128).nullable(),
  hash: z.string().max(128),
});
export type WireEvent = z.infer<typeof wireEventSchema>;

/** POST /fed/v1/enroll (unsigned: the one-time code is the proof). */
export const enrollRequest = z.strictObject({
  code: z.string().min(8).max(64),
  deviceId: z.string().uuid(),
  /** The terminal's standalone store, brought along when it is the store's first terminal (else ignored). */
  storeId: z.string().uuid(),
  deviceName: z.string().min(1).max(80),
  /** How many events of its own the terminal holds (a terminal joins an existing store only with none). */
  ownEvents: z.number().int().min(0),
});
export const enrollResponse = z.object({
  deviceId: z.string().uuid(),
  storeId: z.string().uuid(),
  /** base64url, 32 bytes; kept by the terminal outside its journal and export. */
  secret: z.string(),
  centralTime: z.string(),
});

/** POST /fed/v1/push: a batch of this device's events in device_seq order (≤ 4 MB). */
export const pushRequest = z.strictObject({ events: z.array(wireEventSchema).max(50_000) });
export const pushResponse = z.object({
  /** Highest contiguous device_seq the central holds for this device (the checkpoint). */
  ackedSeq: z.number().int().min(0),
  inserted: z.number().int().min(0),
  duplicates: z.number().int().min(0),
  /** Set when an event was refused (bad hash, broken chain, other device, same id other hash): a dead letter. */
  refused: z.object({ eventId: z.string(), reason: z.string() }).nullable(),
});

/** GET /fed/v1/checkpoint: what the central holds of the calling device (the relay resumes from the lower). */
export const checkpointResponse = z.object({ ackedSeq: z.number().int().min(0), lastHash: z.string().nullable() });

/** GET /fed/v1/pull?after=<cursor>&limit=<n>: the store's events in the central's per-store order, other devices'. */
export const pullResponse = z.object({
  events: z.array(wireEventSchema),
  /** Pass back as `after`; never skips an event even when central processes commit out of order. */
  cursor: z.string(),
  more: z.boolean(),
  centralTime: z.string(),
  /**
   * The cursor's event is not where it says in the central's order (the central was restored from an older backup):
   * no events; `cursor` is the order's current end, to be taken only after a full reconciliation.
   */
  restart: z.boolean().optional(),
});

/** GET /fed/v1/own?after=<seq>: the calling device's own events the central holds past `after` (restored terminals). */
export const ownTailResponse = z.object({ events: z.array(wireEventSchema), more: z.boolean() });

/** POST /fed/v1/fiscal/ranges: ask for the next range of a series; the grant arrives as a FiscalRangeGranted event. */
export const rangeRequest = z.strictObject({
  series: z.string().min(1).max(20),
  docType: z.enum(['ticket', 'creditNote']),
  /**
   * How far the asking terminal holds each other device's chain of the store (the central's own included). A central
   * that holds less of any (restored from an older backup) grants nothing until reconciliation has brought those
   * events back: one of them may be a grant it no longer remembers, and a range must never be granted twice.
   */
  known: z.array(z.strictObject({ deviceId: z.string().uuid(), seq: z.number().int().min(0) })).max(1_000).optional(),
});

/**
 * POST /fed/v1/alerts: the relay halted on one of its events (a dead letter the central did not raise itself, e.g.
 * ten answered failures of the same batch); the central records it for the operator (/admin/v1/alerts). Idempotent
 * per device, event and `at` (a resend after a lost answer records nothing new).
 */
export const alertRequest = z.strictObject({
  eventId: z.string().uuid(),
  /** When the terminal dead-lettered it (ISO, its clock). */
  at: z.string().min(1).max(40),
  reason: z.string().min(1).max(500),
});
export const alertResponse = z.object({ recorded: z.boolean() });

/** WebSocket /fed/v1/ws (signed in the upgrade request): the central only says there is more to pull. */
export const wsMessage = z.object({ type: z.literal('more'), storeId: z.string() });

/**
 * A PIN or password as it travels (docs/decisions/0013-credentials-federation.md): the scrypt hash, its salt and cost,
 * and the clock that orders it (last writer wins, shared/credentials.ts). Never the PIN or the password itself. The
 * cost is bounded: a device must not make every other till spend seconds or gigabytes verifying one hash.
 */
export const wireCredentialSchema = z.strictObject({
  userId: z.string().uuid(),
  kind: z.enum(['pin', 'password']),
  hash: z.string().regex(/^[A-Za-z0-9+/]+=*$/).min(16).max(128),
  salt: z.string().regex(/^[A-Za-z0-9+/]+=*$/).min(16).max(128),
  params: z.strictObject({
    N: z.number().int().min(1024).max(131_072).refine((n) => (n & (n - 1)) === 0, 'N must be a power of two'),
    r: z.number().int().min(1).max(16),
    p: z.number().int().min(1).max(4),
    keylen: z.number().int().min(16).max(64),
  }),
  hlc: z.string().regex(/^\d{15}-\d{6}-[0-9a-f-]{1,40}$/),
});
export type WireCredential = z.infer<typeof wireCredentialSchema>;

/** POST /fed/v1/credentials: this device's changed credentials for its store; older than the central's are ignored. */
export const credentialsPushRequest = z.strictObject({ credentials: z.array(wireCredentialSchema).min(1).max(1_000) });
export const credentialsPushResponse = z.object({
  /** Stored as the store's newest. */
  stored: z.number().int().min(0),
  /**
   * Not newer than what the central holds: sent before (a retry after a lost answer), or changed later on another
   * device, whose version comes back by pull.
   */
  stale: z.number().int().min(0),
});

/**
 * GET /fed/v1/credentials?after=<cursor>&limit=<n>: the store's credentials changed after the cursor, each in its
 * newest version, the calling device's own included (a terminal restored from a backup gets its own back).
 */
export const credentialsPullResponse = z.object({
  credentials: z.array(wireCredentialSchema),
  cursor: z.string(),
  more: z.boolean(),
  /**
   * The cursor was past anything the central numbered (a central restored from an older backup): the answer starts
   * from the beginning, and the terminal queues every credential it holds again so the central gets back what it lost.
   */
  restarted: z.boolean().default(false),
});

/**
 * POST /fed/v1/report, after each round of the relay: what only the terminal knows (its backlog, breaker, last
 * reconciliation, fiscal numbers left) for the central's device table. The whole relay status travels: the central
 * keeps fields it does not know yet (a newer terminal) and does without fields an older terminal does not send, so
 * terminals and central need not be updated together; a field that is sent must be well-formed.
 * `reconciled` echoes the token of a reconciliation the central asked for, once it has run.
 */
export const reportRequest = z.strictObject({
  status: federationStatusSchema.partial().loose(),
  appVersion: z.string().min(1).max(40),
  reconciled: z.string().uuid().nullable(),
});
/** `reconcile`: the operator asked this device to reconcile now (a token to echo); null when nothing is asked. */
export const reportResponse = z.object({ reconcile: z.string().uuid().nullable() });

/**
 * GET /fed/v1/snapshot (signed): the store's read models as the central holds them, for a terminal joining a store
 * that already has history (docs/decisions/0012-snapshot.md). The body is newline-delimited JSON: one `head` line
 * (the store-order position the snapshot covers, and per device its horizon: the last device_seq covered, with that
 * event's hash and clock), then `rows` lines (per read model, [key, row] pairs in the read model's own shape), then
 * one `end` line whose counts prove the body arrived whole. All of it is read in one transaction at the central.
 */
export const SNAPSHOT_FORMAT = 1 as const;
export const SNAPSHOT_CHUNK_ROWS = 1_000;
export const snapshotHorizonSchema = z.object({
  deviceId: z.string().uuid(),
  seq: z.number().int().positive(),
  hash: z.string().max(128),
  hlc: z.string().max(64),
});
export const snapshotHeadLine = z.object({
  kind: z.literal('head'),
  format: z.literal(SNAPSHOT_FORMAT),
  storeId: z.string().uuid(),
  /** The pull cursor the snapshot corresponds to: pulling after it yields exactly the events it does not cover. */
  cursor: z.string().max(40),
  takenAt: z.string().max(40),
  horizons: z.array(snapshotHorizonSchema).max(10_000),
});
export const snapshotRowsLine = z.object({
  kind: z.literal('rows'),
  projection: z.string().min(1).max(64),
  rows: z.array(z.tuple([z.string().max(512), z.unknown()])).max(SNAPSHOT_CHUNK_ROWS),
});
export const snapshotEndLine = z.object({ kind: z.literal('end'), chunks: z.number().int().min(0), rows: z.number().int().min(0) });
export const snapshotLine = z.discriminatedUnion('kind', [snapshotHeadLine, snapshotRowsLine, snapshotEndLine]);
export type SnapshotHead = z.infer<typeof snapshotHeadLine>;
export type SnapshotRows = z.infer<typeof snapshotRowsLine>;
