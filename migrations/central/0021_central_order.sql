-- The central's per-store arrival order (docs/decisions/0010-central-order.md): every event the central holds gets
-- the next number of its store, taken from the store's counter row inside the ingesting transaction. The row lock
-- is held until commit, so within a store commit order is number order and a pull cursor never skips an event.
CREATE TABLE store_order (
  store_id uuid PRIMARY KEY,
  seq bigint NOT NULL DEFAULT 0
);
ALTER TABLE events ADD COLUMN store_seq bigint;
CREATE UNIQUE INDEX events_store_order ON events (store_id, store_seq);

-- Events a central held before this migration get numbers in the order they arrived.
WITH n AS (
  SELECT store_id, event_id, row_number() OVER (PARTITION BY store_id ORDER BY received_at, device_id, device_seq) AS seq FROM events
)
UPDATE events e SET store_seq = n.seq FROM n WHERE e.store_id = n.store_id AND e.event_id = n.event_id;
INSERT INTO store_order (store_id, seq) SELECT store_id, max(store_seq) FROM events GROUP BY store_id;
