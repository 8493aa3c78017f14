-- What this terminal last learned of its own chain at the central (node/federation/tail.ts): the highest device_seq
-- the central acknowledged for this device. Above the journal's own head it means the log was restored from an older
-- copy: the central holds events of this device the log lost, and no command may append (a device_seq or a fiscal
-- number would be issued twice) until the relay has taken that tail back. Outside the journal and its export; a
-- restored data folder carries its older value, which is why each start of an enrolled node asks again first.
CREATE TABLE federation_tail (
  store_id uuid PRIMARY KEY,
  central_seq bigint NOT NULL CHECK (central_seq >= 0),
  checked_at timestamptz NOT NULL DEFAULT now()
);
