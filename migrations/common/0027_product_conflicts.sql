-- The catalog's conflict log (R8): per product, the newest writes of each field (a bounded set, so every node
-- derives the same log from the same events, whatever order they arrived in) and the conflicts among them: a write
-- that lost, last-writer-wins by HLC, to a write of another device that had not seen it. A read model like any
-- other (rebuilt from the log, checked by the verifier); read by date through products.conflicts.
CREATE TABLE product_conflicts (
  store_id uuid NOT NULL,
  product_id uuid NOT NULL,
  fields jsonb NOT NULL,
  conflicts jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- The newest winner's time among this product's conflicts, for reading the log by date; null when none.
  last_conflict_at timestamptz,
  PRIMARY KEY (store_id, product_id)
);
CREATE INDEX product_conflicts_by_time ON product_conflicts (store_id, last_conflict_at) WHERE last_conflict_at IS NOT NULL;
