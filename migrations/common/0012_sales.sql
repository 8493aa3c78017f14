-- Sales read model, projected from SaleCreated / SaleVoided / SaleRefunded (node/sales). `row` is the projection's
-- row as the pure apply makes it (the sale's payload, its void and its refunds); the columns beside it are copies
-- for lookups: by fiscal number (find a sale at the counter), by refund id (reprint a refund), by till session.
-- Refunds are recorded against the sale's id, so two terminals refunding one sale past what was sold meet here.
CREATE TABLE sales (
  store_id uuid NOT NULL,
  id uuid NOT NULL,
  device_id uuid,
  till_session_id uuid,
  fiscal_series text,
  fiscal_number bigint,
  refund_ids uuid[] NOT NULL DEFAULT '{}',
  row jsonb NOT NULL,
  PRIMARY KEY (store_id, id)
);
CREATE INDEX sales_by_fiscal ON sales (store_id, fiscal_series, fiscal_number);
CREATE INDEX sales_by_refund ON sales USING gin (refund_ids);
CREATE INDEX sales_by_session ON sales (store_id, till_session_id);
