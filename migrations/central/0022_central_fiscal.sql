-- Fiscal ranges (R6): the central's record of every range of a store's series, its own grants and the ones a
-- standalone terminal gave itself before it enrolled (taken from its FiscalRangeGranted events), so a grant never
-- overlaps any. `used_upto` follows the fiscal numbers seen in ingested events; a reclaimed range records its unused
-- numbers in fiscal_gaps as permitted gaps.
CREATE TABLE fiscal_series (
  store_id uuid NOT NULL,
  series text NOT NULL,
  doc_type text NOT NULL,
  next_number bigint NOT NULL DEFAULT 1,
  PRIMARY KEY (store_id, series, doc_type)
);

-- Named central_fiscal_ranges: the counter's read model (common 0014) already has fiscal_ranges, and the central runs the
-- common migrations too.
CREATE TABLE central_fiscal_ranges (
  store_id uuid NOT NULL,
  range_id uuid NOT NULL,
  series text NOT NULL,
  doc_type text NOT NULL,
  device_id uuid NOT NULL,
  first_number bigint NOT NULL,
  last_number bigint NOT NULL,
  used_upto bigint NOT NULL DEFAULT 0,
  granted_by text NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'used', 'reclaimed')),
  PRIMARY KEY (store_id, range_id),
  CHECK (first_number <= last_number)
);
CREATE INDEX central_fiscal_ranges_by_series ON central_fiscal_ranges (store_id, series, doc_type, first_number);

CREATE TABLE fiscal_gaps (
  store_id uuid NOT NULL,
  series text NOT NULL,
  doc_type text NOT NULL,
  first_number bigint NOT NULL,
  last_number bigint NOT NULL,
  range_id uuid NOT NULL,
  reason text NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, series, doc_type, first_number)
);
