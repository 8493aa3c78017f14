-- PIN and password hashes reach a store's other terminals through the central, never through the journal
-- (docs/decisions/0013-credentials-federation.md). Each credential carries the hybrid logical clock of its change:
-- every node keeps the greatest (last writer wins, compared as text; the clock ends with the writing device's id).
-- Credentials set before this migration get a clock from their change time and this device.
ALTER TABLE user_credential ADD COLUMN hlc text;
UPDATE user_credential SET hlc = lpad((floor(extract(epoch FROM updated_at) * 1000))::bigint::text, 15, '0') || '-000000-' ||
  (SELECT device_id::text FROM node_identity);
ALTER TABLE user_credential ALTER COLUMN hlc SET NOT NULL;

-- Credentials changed here and not yet taken by the central (kept across restarts and weekends offline): the row
-- names the version to send; the relay removes it once the central has answered for that version.
CREATE TABLE credential_outbox (
  store_id uuid NOT NULL,
  user_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('pin', 'password')),
  hlc text NOT NULL,
  PRIMARY KEY (store_id, user_id, kind)
);
-- What the standalone store set before this migration goes to the central when the terminal enrolls.
INSERT INTO credential_outbox (store_id, user_id, kind, hlc) SELECT store_id, user_id, kind, hlc FROM user_credential;

-- Where this terminal is in the central's per-store order of credential changes (opaque, never moved backwards).
CREATE TABLE credential_cursor (
  store_id uuid PRIMARY KEY,
  cursor text NOT NULL,
  pulled_at timestamptz NOT NULL DEFAULT now()
);
