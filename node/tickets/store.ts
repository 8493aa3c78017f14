import type { OpenTicket, StoredTicket } from '../../shared/contract/tickets.js';
import type { Db, ReadDb, WriteTx } from '../db/types.js';

/** The revision a closed ticket keeps: above any the renderer makes, so a late save of it changes nothing. */
const CLOSED_REVISION = Number.MAX_SAFE_INTEGER;

// One statement: the upsert wins only with a newer revision; otherwise the kept revision is read from the snapshot.
const SAVE = `
WITH up AS (
  INSERT INTO open_ticket (store_id, ticket_id, revision, status, body, updated_at, updated_by)
  VALUES ($1, $2, $3, $4, $5::jsonb, now(), $6)
  ON CONFLICT (store_id, ticket_id) DO UPDATE SET revision = excluded.revision, status = excluded.status,
    body = excluded.body, updated_at = excluded.updated_at, updated_by = excluded.updated_by
  WHERE open_ticket.revision < excluded.revision
  RETURNING revision
)
SELECT revision FROM up
UNION ALL
SELECT revision FROM open_ticket WHERE store_id = $1 AND ticket_id = $2 AND NOT EXISTS (SELECT 1 FROM up)`;

/** Keeps the ticket if its revision is newer than the one kept; answers the revision kept. */
export async function saveTicket(db: Db, storeId: string, actorId: string, ticket: OpenTicket): Promise<number> {
  const rows = await db.write((tx) =>
    tx.query<{ revision: string | number }>(SAVE, [storeId, ticket.ticketId, ticket.revision, ticket.status, JSON.stringify(ticket), actorId]),
  );
  return Number(rows[0]?.revision ?? ticket.revision);
}

// Closing leaves a tombstone (see the migration) and clears tombstones older than a day, in one statement.
const CLOSE = `
WITH purge AS (
  DELETE FROM open_ticket WHERE store_id = $1 AND status = 'closed' AND updated_at < now() - interval '1 day' AND ticket_id <> $2
), prior AS (
  SELECT status FROM open_ticket WHERE store_id = $1 AND ticket_id = $2
), up AS (
  INSERT INTO open_ticket (store_id, ticket_id, revision, status, body, updated_at, updated_by)
  VALUES ($1, $2, $3, 'closed', '{}'::jsonb, now(), $4)
  ON CONFLICT (store_id, ticket_id) DO UPDATE SET revision = excluded.revision, status = 'closed', body = '{}'::jsonb,
    updated_at = excluded.updated_at, updated_by = excluded.updated_by
  WHERE open_ticket.status <> 'closed'
)
SELECT coalesce((SELECT status <> 'closed' FROM prior), false) AS was_open`;

/** Forgets a ticket (sold or abandoned); true when it was open or parked. Works inside a command's transaction too. */
export async function closeTicket(tx: WriteTx, storeId: string, actorId: string, ticketId: string): Promise<boolean> {
  const [row] = await tx.query<{ was_open: boolean }>(CLOSE, [storeId, ticketId, CLOSED_REVISION, actorId]);
  return row?.was_open === true;
}

type Row = { body: OpenTicket; updated_at: Date; updated_by: string };

/** The tickets still open or parked, newest change first. */
export async function listTickets(db: ReadDb, storeId: string): Promise<StoredTicket[]> {
  const rows = await db.query<Row>(
    `SELECT body, updated_at, updated_by FROM open_ticket WHERE store_id = $1 AND status <> 'closed' ORDER BY updated_at DESC, ticket_id LIMIT 100`,
    [storeId],
  );
  return rows.map((r) => ({ ...r.body, updatedAt: r.updated_at.toISOString(), updatedBy: r.updated_by }));
}

/** One open or parked ticket, locked for the command that reads it. */
export async function openTicketForUpdate(db: ReadDb, storeId: string, ticketId: string): Promise<OpenTicket | undefined> {
  const [row] = await db.query<{ body: OpenTicket }>(
    `SELECT body FROM open_ticket WHERE store_id = $1 AND ticket_id = $2 AND status <> 'closed' FOR UPDATE`,
    [storeId, ticketId],
  );
  return row?.body;
}
