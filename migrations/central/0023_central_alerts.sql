-- What the central refused from a device's push (same id with another hash, a held device_seq under another id, a
-- broken chain): the device's relay halts on it (a dead letter), and the operator reads it here.
CREATE TABLE central_alerts (
  store_id uuid NOT NULL,
  alert_id uuid NOT NULL,
  device_id uuid NOT NULL,
  event_id text NOT NULL,
  reason text NOT NULL,
  raised_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, alert_id)
);
CREATE INDEX central_alerts_by_time ON central_alerts (store_id, raised_at);
