-- Browser sign-in sessions of this node's loopback API (R14). A local security record, not shop data: never an
-- event, never journaled, exported or synced. Only the SHA-256 of the cookie's random token is kept, so a copy of
-- the database lets nobody in. `expires_at` slides forward while the session is used.
CREATE TABLE local_session (
  token_sha256 text PRIMARY KEY CHECK (token_sha256 ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
