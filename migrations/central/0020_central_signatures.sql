-- Nonces of signed federation requests: a nonce is accepted once per device while its timestamp is inside the
-- window; kept in the database so every central process agrees, removed once the window has passed.
CREATE TABLE fed_nonces (
  store_id uuid NOT NULL,
  device_id uuid NOT NULL,
  nonce text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (store_id, device_id, nonce)
);
CREATE INDEX fed_nonces_expiry ON fed_nonces (expires_at);

-- Requests per device in the current fixed window (rate limit shared by all central processes).
CREATE TABLE fed_rate (
  store_id uuid NOT NULL,
  device_id uuid NOT NULL,
  window_start timestamptz NOT NULL,
  count integer NOT NULL,
  PRIMARY KEY (store_id, device_id)
);
