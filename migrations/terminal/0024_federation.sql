-- The terminal's link to its central (node/federation): one row once enrolled. The device secret lives here, outside
-- the journal and its export; the dead letter is the event the central refused, which halts the relay until resolved.
CREATE TABLE federation_link (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  central_url text NOT NULL,
  device_id uuid NOT NULL,
  store_id uuid NOT NULL,
  secret text NOT NULL,
  enrolled_at timestamptz NOT NULL DEFAULT now(),
  last_contact_at timestamptz,
  -- The central's own clock at the last contact (what fiscal expiry is judged by, never this machine's clock).
  central_time_at_contact timestamptz,
  last_error text,
  dead_letter jsonb
);

-- Where this node is in the central's per-store sequence (pull, R11): opaque to the node, never moved backwards.
CREATE TABLE federation_cursor (
  store_id uuid PRIMARY KEY,
  cursor text NOT NULL,
  pulled_at timestamptz NOT NULL DEFAULT now()
);

-- The circuit breaker around calls to a target (R10), kept across restarts.
CREATE TABLE federation_breaker (
  target text PRIMARY KEY,
  phase text NOT NULL DEFAULT 'closed' CHECK (phase IN ('closed', 'open', 'halfOpen')),
  failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
  successes integer NOT NULL DEFAULT 0 CHECK (successes >= 0),
  opened_at timestamptz
);
