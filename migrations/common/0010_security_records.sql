-- Local security records (DESIGN.md "Identity and sessions"): outside the journal, never exported or synced as
-- events. Shown in the audit view.

-- Failed sign-ins and approvals, lockouts: append-only.
CREATE TABLE security_record (
  seq bigserial PRIMARY KEY,
  store_id uuid NOT NULL,
  at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL CHECK (kind IN ('signInFailed', 'lockedOut', 'approvalRefused')),
  user_id uuid,
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX security_record_by_time ON security_record (store_id, at DESC, seq DESC);

-- Per person: failures since the last success, and the lockout they earned (each one longer than the last).
CREATE TABLE user_lockout (
  store_id uuid NOT NULL,
  user_id uuid NOT NULL,
  failures integer NOT NULL DEFAULT 0,
  lockouts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  PRIMARY KEY (store_id, user_id)
);

-- A supervisor's approval of one named action: short-lived, single use. `used_by` is the command id that spent it,
-- set inside that command's transaction (a refused command rolls back and leaves it unspent).
CREATE TABLE approval (
  store_id uuid NOT NULL,
  id uuid NOT NULL,
  supervisor_id uuid NOT NULL,
  action text NOT NULL CHECK (action IN ('void', 'refund', 'discount', 'priceOverride', 'noSale', 'overShort')),
  requested_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_by text,
  used_at timestamptz,
  PRIMARY KEY (store_id, id)
);

-- The audit view reads the journal by time, only the audited types (node/users/audit.ts).
CREATE INDEX events_audited ON events (store_id, created_at DESC)
  WHERE type IN ('SaleVoided', 'SaleRefunded', 'SaleCreated', 'TicketLineRemoved', 'TicketAbandoned', 'CashLedgerEntryCreated',
    'PriceChanged', 'UserCreated', 'UserUpdated', 'SettingChanged');
