-- The till (cash domain) read models, projected from CashSessionOpened / CashLedgerEntryCreated / CashSessionClosed
-- and from the sales events that move money in a session (SaleCreated / SaleVoided / SaleRefunded).
--
-- cash_sessions: one row per till session. A device has at most one open session (the cash.open command checks it
-- under the device's chain lock); z_number is given at close, gapless per device. The Z's figures are derived from
-- the session's entries, which no longer change once it is closed (a closed session refuses sales, voids and moves).
CREATE TABLE cash_sessions (
  store_id uuid NOT NULL,
  till_session_id uuid NOT NULL,
  device_id uuid NOT NULL,
  cashier_id text NOT NULL,
  status text NOT NULL CHECK (status IN ('open', 'closed')),
  opened_at timestamptz NOT NULL,
  opened_by text NOT NULL,
  float jsonb NOT NULL,
  float_total bigint NOT NULL CHECK (float_total >= 0),
  closed_at timestamptz,
  closed_by text,
  z_number integer,
  cash_count jsonb,
  counted jsonb,
  expected jsonb,
  close_approval jsonb,
  version integer NOT NULL,
  PRIMARY KEY (store_id, till_session_id)
);
CREATE INDEX cash_sessions_by_device ON cash_sessions (store_id, device_id, status);
CREATE INDEX cash_sessions_by_z ON cash_sessions (store_id, device_id, z_number);
CREATE INDEX cash_sessions_by_closed ON cash_sessions (store_id, closed_at DESC);

-- cash_session_entries: what moved money in a session, one row per sale, refund or ledger entry (cash in/out,
-- no-sale), with the amounts by tender kind. A void marks its sale's row (`voided`), so the X and Z total voids by
-- tender without another read. `known` is false while only a void has arrived for a sale not yet seen here.
CREATE TABLE cash_session_entries (
  store_id uuid NOT NULL,
  entry_id uuid NOT NULL,
  till_session_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('sale', 'refund', 'in', 'out', 'noSale')),
  tenders jsonb NOT NULL,
  total bigint NOT NULL,
  taxes jsonb NOT NULL,
  voided boolean NOT NULL,
  void_session_id uuid,
  known boolean NOT NULL,
  sale_id uuid,
  reason text,
  approval jsonb,
  actor_id text NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (store_id, entry_id)
);
CREATE INDEX cash_session_entries_by_session ON cash_session_entries (store_id, till_session_id, at);
