-- Fiscal numbers, local side (R6). A range of numbers per (device, series), granted by FiscalRangeGranted (by the
-- standalone node itself or by the central) and consumed gaplessly by the device's sales and credit notes:
-- `next` is the next number to use (last + 1 when exhausted). `granted` is false while only consumptions of a range
-- have arrived here (another device's sales pulled before the central's grant).
CREATE TABLE fiscal_ranges (
  store_id uuid NOT NULL,
  id uuid NOT NULL,
  device_id uuid NOT NULL,
  series text NOT NULL,
  doc_type text NOT NULL CHECK (doc_type IN ('ticket', 'creditNote')),
  first bigint NOT NULL,
  last bigint NOT NULL,
  next bigint NOT NULL,
  granted_by text NOT NULL,
  expires_at text,
  granted boolean NOT NULL,
  PRIMARY KEY (store_id, id)
);
CREATE INDEX fiscal_ranges_by_device ON fiscal_ranges (store_id, device_id, series, first);
CREATE INDEX fiscal_ranges_by_series ON fiscal_ranges (store_id, series, last);

-- Who grants this store's ranges: 'self' while standalone; the relay sets 'central' on enrollment, after which an
-- exhausted range is an error until the central grants the next one. No row means 'self'.
CREATE TABLE fiscal_authority (
  store_id uuid PRIMARY KEY,
  authority text NOT NULL DEFAULT 'self' CHECK (authority IN ('self', 'central'))
);
