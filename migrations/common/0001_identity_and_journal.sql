-- The node's own identity: one row, written on first start.
CREATE TABLE node_identity (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  device_id uuid NOT NULL,
  store_id uuid NOT NULL,
  role text NOT NULL CHECK (role IN ('terminal', 'central')),
  currency text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The event log (R1, R3). Every central table leads with store_id so the central can shard by store.
CREATE TABLE events (
  store_id uuid NOT NULL,
  event_id uuid NOT NULL,
  command_id uuid NOT NULL,
  device_id uuid NOT NULL,
  device_seq bigint NOT NULL CHECK (device_seq > 0),
  type text NOT NULL,
  version integer NOT NULL,
  payload jsonb NOT NULL,
  actor_id text NOT NULL,
  hlc text NOT NULL,
  created_at timestamptz NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, event_id),
  UNIQUE (store_id, device_id, device_seq)
);
CREATE INDEX events_by_command ON events (store_id, command_id);

-- Where each device's chain ends: the next event of that device gets seq + 1 and prev_hash = hash.
CREATE TABLE journal_head (
  store_id uuid NOT NULL,
  device_id uuid NOT NULL,
  seq bigint NOT NULL,
  hash text NOT NULL,
  hlc text NOT NULL,
  PRIMARY KEY (store_id, device_id)
);

-- Idempotency (R2): a command id's input hash and first result.
CREATE TABLE command_results (
  store_id uuid NOT NULL,
  command_id uuid NOT NULL,
  method text NOT NULL,
  input_hash text NOT NULL,
  result jsonb NOT NULL,
  actor_id text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, command_id)
);
