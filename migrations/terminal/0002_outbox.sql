-- Events of this device waiting to reach the central (R9), written in the same transaction as the event.
CREATE TABLE outbox (
  store_id uuid NOT NULL,
  device_seq bigint NOT NULL,
  event_id uuid NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  PRIMARY KEY (store_id, device_seq)
);
CREATE INDEX outbox_pending ON outbox (store_id, status, device_seq);
