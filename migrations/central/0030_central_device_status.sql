-- What each device last told the central about itself (POST /fed/v1/report, issue 14 item 11): its relay status as
-- the terminal sees it (backlog, breaker, last reconciliation, fiscal numbers left …, kept whole as jsonb so fields a
-- newer terminal adds are kept too), its app version, and when the report arrived by the central's clock (the last
-- contact). `reconcile_token` is set when the operator asks the device to reconcile now; the device's report answer
-- carries it, and the report that echoes it after the reconciliation clears it. Leads with store_id (DESIGN.md "Scale").
CREATE TABLE central_device_status (
  store_id uuid NOT NULL,
  device_id uuid NOT NULL,
  reported_at timestamptz,
  app_version text,
  status jsonb,
  reconcile_token uuid,
  reconcile_asked_at timestamptz,
  PRIMARY KEY (store_id, device_id)
);
