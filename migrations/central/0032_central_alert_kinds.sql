-- Alerts of more than one kind: `refused` (what the central refused from a push, migration 0023) and `overRefund`
-- (a line of a sale refunded past what was sold, found while folding the store's read models). An alert about a
-- state of the store carries a key: one row per over-refunded line, whatever re-ingest, duplicate or reconciliation
-- brings the events again (a later refund of the same line updates its reason, it never adds a row).
ALTER TABLE central_alerts ADD COLUMN kind text NOT NULL DEFAULT 'refused';
ALTER TABLE central_alerts ADD COLUMN alert_key text;
ALTER TABLE central_alerts ADD COLUMN updated_at timestamptz;
CREATE UNIQUE INDEX central_alerts_by_key ON central_alerts (store_id, alert_key) WHERE alert_key IS NOT NULL;
