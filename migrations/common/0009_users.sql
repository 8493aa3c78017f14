-- People of a store, projected from UserCreated / UserUpdated (last-writer-wins per field by HLC, like products).
CREATE TABLE users (
  store_id uuid NOT NULL,
  id uuid NOT NULL,
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('owner', 'supervisor', 'cashier', 'stockClerk')),
  active boolean NOT NULL,
  version integer NOT NULL,
  field_hlc jsonb NOT NULL,
  created_at timestamptz,
  updated_at timestamptz NOT NULL,
  updated_by text NOT NULL,
  PRIMARY KEY (store_id, id)
);
CREATE INDEX users_by_name ON users (store_id, lower(name), id);

-- PIN and password hashes: NEVER in an event, the journal or its export (DESIGN.md "Identity and sessions").
-- One row per person and kind, replaced on change. `hash` is scrypt's output, `salt` random per credential, and
-- `params` the scrypt cost it was made with (N, r, p, keylen), so a later cost change still verifies old hashes.
-- They reach a store's other terminals through the central, not through the log.
CREATE TABLE user_credential (
  store_id uuid NOT NULL,
  user_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('pin', 'password')),
  hash text NOT NULL,
  salt text NOT NULL,
  params jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, user_id, kind)
);
