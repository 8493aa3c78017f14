-- The outbox is append-only: one row per event of this device, in device_seq order. What each target (the central)
-- has acknowledged is one checkpoint per target; rows at or below every target's checkpoint are pruned.
DROP INDEX outbox_pending;
ALTER TABLE outbox DROP COLUMN status, DROP COLUMN attempts, DROP COLUMN next_attempt_at, DROP COLUMN last_error;

CREATE TABLE outbox_checkpoint (
  store_id uuid NOT NULL,
  target text NOT NULL,
  acked_seq bigint NOT NULL DEFAULT 0 CHECK (acked_seq >= 0),
  acked_at timestamptz,
  PRIMARY KEY (store_id, target)
);
