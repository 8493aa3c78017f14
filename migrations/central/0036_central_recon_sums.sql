-- The reconciliation summaries of the central (common 0018) with the same sums computed faster: per row only the
-- hash's eight 32-bit pieces as integers, summed per group, and the 256-bit sum made once per group (the sum of
-- the pieces, each weighted by its place, is the sum of the hashes: the same numbers as before, exactly).
-- The per-row numeric arithmetic of recon_hash_num was most of the cost of storing a pushed batch.
CREATE OR REPLACE FUNCTION recon_summarise_events() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  WITH added AS MATERIALIZED (
    SELECT store_id, device_id, device_seq, date_trunc('hour', created_at, 'UTC') AS hour,
      CASE WHEN length(hash) = 64 AND hash !~ '[^0-9a-f]' THEN hash ELSE md5(hash) || md5('~' || hash) END AS x
    FROM recon_new_events
  ), hourly AS (
    SELECT store_id, device_id, hour, count(*) AS events, min(device_seq) AS min_seq, max(device_seq) AS max_seq,
      sum(('x' || substr(x, 1, 8))::bit(32)::bigint) AS s1, sum(('x' || substr(x, 9, 8))::bit(32)::bigint) AS s2,
      sum(('x' || substr(x, 17, 8))::bit(32)::bigint) AS s3, sum(('x' || substr(x, 25, 8))::bit(32)::bigint) AS s4,
      sum(('x' || substr(x, 33, 8))::bit(32)::bigint) AS s5, sum(('x' || substr(x, 41, 8))::bit(32)::bigint) AS s6,
      sum(('x' || substr(x, 49, 8))::bit(32)::bigint) AS s7, sum(('x' || substr(x, 57, 8))::bit(32)::bigint) AS s8
    FROM added GROUP BY store_id, device_id, hour
  ), summed AS (
    SELECT store_id, device_id, hour, events, min_seq, max_seq,
      (((((((s1 * 4294967296 + s2) * 4294967296 + s3) * 4294967296 + s4) * 4294967296 + s5) * 4294967296 + s6)
        * 4294967296 + s7) * 4294967296 + s8) AS total
    FROM hourly
  ), hours AS (
    INSERT INTO recon_hour AS r (store_id, device_id, hour, events, hash_sum, min_seq, max_seq)
    SELECT store_id, device_id, hour, events, mod(total, recon_modulus()), min_seq, max_seq
    FROM summed
    ON CONFLICT (store_id, device_id, hour) DO UPDATE SET events = r.events + excluded.events,
      hash_sum = mod(r.hash_sum + excluded.hash_sum, recon_modulus()),
      min_seq = least(r.min_seq, excluded.min_seq), max_seq = greatest(r.max_seq, excluded.max_seq)
  )
  INSERT INTO recon_device AS d (store_id, device_id, events, hash_sum, max_seq)
  SELECT store_id, device_id, sum(events), mod(sum(total), recon_modulus()), max(max_seq)
  FROM summed GROUP BY store_id, device_id
  ON CONFLICT (store_id, device_id) DO UPDATE SET events = d.events + excluded.events,
    hash_sum = mod(d.hash_sum + excluded.hash_sum, recon_modulus()), max_seq = greatest(d.max_seq, excluded.max_seq);
  RETURN NULL;
END
$$;
