-- The journal's horizon table (terminal migration 0029) on the central too, always empty there: the central holds
-- every event of its stores, but the journal's shared code (remote apply, chain verification, rebuild) reads
-- horizons on whichever node it runs (docs/decisions/0012-snapshot.md).
CREATE TABLE snapshot_horizon (
  store_id uuid NOT NULL,
  device_id uuid NOT NULL,
  seq bigint NOT NULL CHECK (seq > 0),
  hash text NOT NULL,
  hlc text NOT NULL,
  PRIMARY KEY (store_id, device_id)
);

CREATE TABLE snapshot_rows (
  store_id uuid NOT NULL,
  projection text NOT NULL,
  chunk integer NOT NULL,
  rows jsonb NOT NULL,
  PRIMARY KEY (store_id, projection, chunk)
);
