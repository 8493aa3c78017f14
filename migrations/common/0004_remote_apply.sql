-- A remote device's head is what this node has applied of its chain: the next event of that device must continue
-- it (device_seq + 1, prev_hash = hash). Devices applied before heads were kept for them get one from their log.
INSERT INTO journal_head (store_id, device_id, seq, hash, hlc)
SELECT DISTINCT ON (store_id, device_id) store_id, device_id, device_seq, hash, hlc
FROM events ORDER BY store_id, device_id, device_seq DESC
ON CONFLICT DO NOTHING;

-- A device's stream that could not be applied (a payload from a newer release, a rule it breaks) is parked from
-- that event on: its events wait here in order, other devices go on, and it resumes after an upgrade.
CREATE TABLE parked_events (
  store_id uuid NOT NULL,
  device_id uuid NOT NULL,
  device_seq bigint NOT NULL,
  event_id uuid NOT NULL,
  envelope jsonb NOT NULL,
  reason text NOT NULL,
  parked_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, device_id, device_seq)
);

-- How far ahead of this node's wall clock each device's newest event was when it arrived (negative: behind).
-- A skewed clock never blocks a sale; it is shown where people and the federation can see it.
CREATE TABLE clock_skew (
  store_id uuid NOT NULL,
  device_id uuid NOT NULL,
  skew_ms bigint NOT NULL,
  observed_at timestamptz NOT NULL,
  PRIMARY KEY (store_id, device_id)
);

-- A product updated on one terminal can reach another before its creation does: the row then exists with only the
-- fields that update set (last-writer-wins per field), and is not listed until its creation arrives.
ALTER TABLE products ALTER COLUMN created_at DROP NOT NULL, ALTER COLUMN created_by DROP NOT NULL;
