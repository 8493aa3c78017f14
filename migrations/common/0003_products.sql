-- Products read model, projected from ProductCreated / ProductUpdated / PriceChanged.
-- field_hlc holds, per field, the clock of the event that last set it (last-writer-wins per field, R8).
CREATE TABLE products (
  store_id uuid NOT NULL,
  id uuid NOT NULL,
  name text NOT NULL,
  sku text,
  barcodes text[] NOT NULL DEFAULT '{}',
  price bigint NOT NULL CHECK (price >= 0),
  currency text NOT NULL,
  cost bigint,
  tax_rate_bp integer NOT NULL,
  category text,
  unit text NOT NULL,
  track_stock boolean NOT NULL,
  min_stock bigint,
  version integer NOT NULL,
  field_hlc jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  created_by text NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by text NOT NULL,
  deleted_at timestamptz,
  deleted_by text,
  PRIMARY KEY (store_id, id)
);
CREATE INDEX products_by_name ON products (store_id, lower(name), id);
CREATE INDEX products_by_barcode ON products USING gin (barcodes);
