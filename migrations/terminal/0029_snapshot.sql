-- A terminal that joined an existing store from a snapshot of its read models (issue 14 item 10,
-- docs/decisions/0012-snapshot.md). Empty on a terminal that replayed its store's whole history.

-- Per device, the last device_seq (and its hash and clock) the snapshot covers: this node holds none of that
-- device's events at or below it. Remote apply continues the chain from it, verification and reconciliation start
-- above it, and a rebuild folds only the events above it into the snapshot's rows.
CREATE TABLE snapshot_horizon (
  store_id uuid NOT NULL,
  device_id uuid NOT NULL,
  seq bigint NOT NULL CHECK (seq > 0),
  hash text NOT NULL,
  hlc text NOT NULL,
  PRIMARY KEY (store_id, device_id)
);

-- The snapshot itself, kept as it was installed, so that a rebuild of the read models starts from it: per
-- projection, chunks of [key, row] pairs in the projection's own row shape (Projection.loadAll / save).
CREATE TABLE snapshot_rows (
  store_id uuid NOT NULL,
  projection text NOT NULL,
  chunk integer NOT NULL,
  rows jsonb NOT NULL,
  PRIMARY KEY (store_id, projection, chunk)
);

-- Where the snapshot was taken: the central's store order position it covers (the pull cursor started there).
CREATE TABLE snapshot_base (
  store_id uuid PRIMARY KEY,
  cursor text NOT NULL,
  taken_at timestamptz NOT NULL,
  installed_at timestamptz NOT NULL DEFAULT now(),
  row_count bigint NOT NULL
);
