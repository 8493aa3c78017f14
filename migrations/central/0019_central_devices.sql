-- The central's stores and enrolled devices (DESIGN.md "Identity", R16). A device's secret is a credential: it lives
-- here, replaced on re-enrollment, never in the event log or an export (docs/decisions/0010-central-order.md).
-- Every central table leads with store_id (DESIGN.md "Scale"); the by-device index serves the signed request,
-- which names only its device (a small table: a reference table once the central is distributed by store).
CREATE TABLE central_stores (
  store_id uuid PRIMARY KEY,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE central_devices (
  store_id uuid NOT NULL,
  device_id uuid NOT NULL,
  name text NOT NULL,
  secret text NOT NULL,
  enrolled_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  PRIMARY KEY (store_id, device_id)
);
CREATE UNIQUE INDEX central_devices_by_device ON central_devices (device_id);

-- One-time enrollment codes, kept as their SHA-256 only. store_id is null for a code that admits a new store (the
-- terminal brings its own standalone store id).
CREATE TABLE enrollment_codes (
  store_id uuid,
  code_hash text PRIMARY KEY,
  store_name text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  used_by uuid,
  created_at timestamptz NOT NULL DEFAULT now()
);
