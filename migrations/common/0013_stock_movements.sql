-- Stock (R4): signed movements per product and location, one row each, never updated; stock is their sum.
-- `source_id` is the document that moved the goods (a sale, whose void and refunds add their own rows), `pos` the
-- movement's place among that document's movements. stock_levels keeps the sum per product and location, written
-- in the same statement as the movements it adds (verifiable: it must equal SUM(quantity) of stock_movements).
CREATE TABLE stock_movements (
  store_id uuid NOT NULL,
  source_id uuid NOT NULL,
  pos integer NOT NULL,
  product_id uuid NOT NULL,
  location text NOT NULL,
  quantity bigint NOT NULL,
  kind text NOT NULL CHECK (kind IN ('sale', 'void', 'refund')),
  event_id uuid NOT NULL,
  PRIMARY KEY (store_id, source_id, pos)
);
CREATE INDEX stock_movements_by_product ON stock_movements (store_id, product_id, location);

CREATE TABLE stock_levels (
  store_id uuid NOT NULL,
  product_id uuid NOT NULL,
  location text NOT NULL,
  quantity bigint NOT NULL,
  PRIMARY KEY (store_id, product_id, location)
);
