-- Counter settings read model, projected from SettingChanged: one row per store and key (shared/settings.ts names
-- the keys and their schemas; a key without a row has its default). Last-writer-wins per key by the event's HLC.
CREATE TABLE settings (
  store_id uuid NOT NULL,
  key text NOT NULL,
  value jsonb NOT NULL,
  hlc text NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by text NOT NULL,
  PRIMARY KEY (store_id, key)
);
