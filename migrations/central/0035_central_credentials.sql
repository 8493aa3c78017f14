-- The PIN and password hashes of each store's people (docs/decisions/0013-credentials-federation.md): the newest
-- version of each, by the hybrid logical clock of its change (last writer wins, compared as text). Only scrypt
-- hashes with their salt and cost: the central never sees a PIN or a password. `device_id` is the device that sent
-- the version held. Outside the event log, like every credential.
CREATE TABLE central_credentials (
  store_id uuid NOT NULL,
  user_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('pin', 'password')),
  hash text NOT NULL,
  salt text NOT NULL,
  params jsonb NOT NULL,
  hlc text NOT NULL,
  device_id uuid NOT NULL,
  store_seq bigint NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, user_id, kind)
);
-- Terminals pull by this order. Like the events' (0021), the number comes from the store's counter row, locked
-- until commit, so commit order is number order and a cursor never skips a change.
CREATE UNIQUE INDEX central_credentials_order ON central_credentials (store_id, store_seq);
CREATE TABLE central_credential_order (
  store_id uuid PRIMARY KEY,
  seq bigint NOT NULL DEFAULT 0
);
