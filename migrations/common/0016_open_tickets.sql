-- The open tickets of a terminal (docs/decisions/0009-open-ticket.md): working state the renderer replaces a
-- fraction of a second after each change, so a reload, a quit or a crash restores it. Not shop history: never an
-- event, never exported or synced; a completed sale is the SaleCreated event, an abandoned ticket TicketAbandoned.
-- `revision` only grows: a save that arrives late (an older revision) changes nothing. A sold or abandoned ticket
-- stays a day as 'closed' with the highest revision, so a save still on its way cannot bring it back.
-- The table is common so that TicketAbandoned projects the same on the central (where it stays empty).
CREATE TABLE open_ticket (
  store_id uuid NOT NULL,
  ticket_id uuid NOT NULL,
  revision bigint NOT NULL CHECK (revision > 0),
  status text NOT NULL CHECK (status IN ('open', 'parked', 'closed')),
  body jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text NOT NULL,
  PRIMARY KEY (store_id, ticket_id)
);
