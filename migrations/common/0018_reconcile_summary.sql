-- Reconciliation summaries (R12, DESIGN.md "Federation"): per device and per (device, hour of created_at, UTC), the
-- count of the events held and their combined hash: the sum of the 256-bit event hashes modulo 2^256. A sum, not an
-- XOR, so a duplicate can never cancel another event out; counts are always compared too. Each side keeps its own,
-- maintained in the same transaction as the events it stores (a statement trigger over the inserted rows: every
-- path that inserts events, the command path, remote apply and the central's ingest, pays one set-based statement
-- per batch), and never takes the peer's.

-- A 64-hex-digit hash as the integer it spells, in eight 32-bit pieces (bit(32)::bigint reads them unsigned).
CREATE FUNCTION recon_hex_num(h text) RETURNS numeric LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT (((((((('x' || substr(h, 1, 8))::bit(32)::bigint::numeric * 4294967296
    + ('x' || substr(h, 9, 8))::bit(32)::bigint) * 4294967296
    + ('x' || substr(h, 17, 8))::bit(32)::bigint) * 4294967296
    + ('x' || substr(h, 25, 8))::bit(32)::bigint) * 4294967296
    + ('x' || substr(h, 33, 8))::bit(32)::bigint) * 4294967296
    + ('x' || substr(h, 41, 8))::bit(32)::bigint) * 4294967296
    + ('x' || substr(h, 49, 8))::bit(32)::bigint) * 4294967296
    + ('x' || substr(h, 57, 8))::bit(32)::bigint)
$$;

-- An event's hash as a number. The journal's hashes are 64 lowercase hex digits; anything else (a hand-made row in a
-- test, a damaged one) is digested to 64 hex digits first, so no stored row can make an insert fail here.
CREATE FUNCTION recon_hash_num(h text) RETURNS numeric LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT recon_hex_num(CASE WHEN h ~ '^[0-9a-f]{64}$' THEN h ELSE md5(h) || md5('~' || h) END)
$$;

-- 2^256, the modulus of the combined hashes.
CREATE FUNCTION recon_modulus() RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT 115792089237316195423570985008687907853269984665640564039457584007913129639936::numeric
$$;

CREATE TABLE recon_device (
  store_id uuid NOT NULL,
  device_id uuid NOT NULL,
  events bigint NOT NULL,
  hash_sum numeric NOT NULL,
  max_seq bigint NOT NULL,
  PRIMARY KEY (store_id, device_id)
);

-- min_seq/max_seq bound the device_seq of the hour's events, so its ids are read through the (store, device, seq)
-- index without another index on the log.
CREATE TABLE recon_hour (
  store_id uuid NOT NULL,
  device_id uuid NOT NULL,
  hour timestamptz NOT NULL,
  events bigint NOT NULL,
  hash_sum numeric NOT NULL,
  min_seq bigint NOT NULL,
  max_seq bigint NOT NULL,
  PRIMARY KEY (store_id, device_id, hour)
);

CREATE FUNCTION recon_summarise_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH added AS (
    SELECT store_id, device_id, device_seq, date_trunc('hour', created_at, 'UTC') AS hour, recon_hash_num(hash) AS h
    FROM recon_new_events
  ), hours AS (
    INSERT INTO recon_hour AS r (store_id, device_id, hour, events, hash_sum, min_seq, max_seq)
    SELECT store_id, device_id, hour, count(*), mod(sum(h), recon_modulus()), min(device_seq), max(device_seq)
    FROM added GROUP BY store_id, device_id, hour
    ON CONFLICT (store_id, device_id, hour) DO UPDATE SET events = r.events + excluded.events,
      hash_sum = mod(r.hash_sum + excluded.hash_sum, recon_modulus()),
      min_seq = least(r.min_seq, excluded.min_seq), max_seq = greatest(r.max_seq, excluded.max_seq)
  )
  INSERT INTO recon_device AS d (store_id, device_id, events, hash_sum, max_seq)
  SELECT store_id, device_id, count(*), mod(sum(h), recon_modulus()), max(device_seq)
  FROM added GROUP BY store_id, device_id
  ON CONFLICT (store_id, device_id) DO UPDATE SET events = d.events + excluded.events,
    hash_sum = mod(d.hash_sum + excluded.hash_sum, recon_modulus()), max_seq = greatest(d.max_seq, excluded.max_seq);
  RETURN NULL;
END
$$;

CREATE TRIGGER events_recon_summary AFTER INSERT ON events REFERENCING NEW TABLE AS recon_new_events
  FOR EACH STATEMENT EXECUTE FUNCTION recon_summarise_events();

-- Events stored before this migration.
INSERT INTO recon_hour (store_id, device_id, hour, events, hash_sum, min_seq, max_seq)
SELECT store_id, device_id, date_trunc('hour', created_at, 'UTC'), count(*), mod(sum(recon_hash_num(hash)), recon_modulus()),
  min(device_seq), max(device_seq)
FROM events GROUP BY 1, 2, 3;
INSERT INTO recon_device (store_id, device_id, events, hash_sum, max_seq)
SELECT store_id, device_id, count(*), mod(sum(recon_hash_num(hash)), recon_modulus()), max(device_seq)
FROM events GROUP BY 1, 2;

-- The outcome of each reconciliation of a store with a peer (the status screen's "last reconcile result").
CREATE TABLE reconcile_log (
  store_id uuid NOT NULL,
  id uuid NOT NULL,
  peer text NOT NULL,
  started_at timestamptz NOT NULL,
  finished_at timestamptz NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('in-sync', 'converged', 'stalled', 'skipped', 'failed')),
  reason text NOT NULL,
  pulled integer NOT NULL DEFAULT 0,
  pushed integer NOT NULL DEFAULT 0,
  report jsonb NOT NULL,
  PRIMARY KEY (store_id, id)
);
CREATE INDEX reconcile_log_recent ON reconcile_log (store_id, peer, finished_at DESC);
