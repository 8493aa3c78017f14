-- The sales that can hold an over-refund (two terminals offline refunding the same line; a refund of a voided sale):
-- two refunds or more, or a void and a refund. Few rows; `sales.anomalies` reads them through this partial index and
-- judges each with node/sales/overrefund.model.ts.
CREATE INDEX sales_refund_anomaly_candidates ON sales (store_id)
  WHERE cardinality(refund_ids) > 1 OR (cardinality(refund_ids) > 0 AND row->'voided' <> 'null'::jsonb);
