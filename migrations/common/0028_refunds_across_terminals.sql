-- The sales that can hold an over-refund (two terminals offline refunding the same line; a refund of a voided sale):
-- two refunds or more, or a void and a refund. Few rows; `sales.anomalies` reads them through this partial index and
-- judges each with node/sales/overrefund.model.ts.
CREATE INDEX sales_refund_anomaly_candidates ON sales (store_id)
  WHERE cardinality(refund_ids) > 1 OR (cardinality(refund_ids) > 0 AND row->'voided' <> 'null'::jsonb);

-- A sale's stock movements keyed by the event that made them and their place within it (was: their place among the
-- sale's movements, in the order this node happened to apply the events). Two terminals refunding one sale offline
-- receive each other's refund in opposite orders: keyed by arrival, their rows (and a later insert by position)
-- would differ; keyed by event, every node holds the same rows.
ALTER TABLE stock_movements DROP CONSTRAINT stock_movements_pkey;
UPDATE stock_movements m SET pos = n.pos
FROM (SELECT store_id, source_id, pos AS old, (row_number() OVER (PARTITION BY store_id, source_id, event_id ORDER BY pos) - 1)::int AS pos
      FROM stock_movements) n
WHERE m.store_id = n.store_id AND m.source_id = n.source_id AND m.pos = n.old;
ALTER TABLE stock_movements ADD PRIMARY KEY (store_id, source_id, event_id, pos);
