-- The catalog's read models, cheaper to write in bulk (a relayed batch of 1,350 creations at the central; see
-- docs/decisions/0014-relay-throughput.md).
--
-- product_conflicts keeps, per field, a product's newest writes. Stored as whole records (clock, event, device,
-- actor, time, value per field), a creation's row was ~2.8 KB: past the TOAST threshold, so every row was
-- compressed and written out of line. From here on what one event's writes share is stored once in `writers` and
-- `fields` holds [writer, basis, value] per write (node/catalog/conflicts.projection.ts). Rows written before keep
-- `writers` null and their old `fields`: they are read as they are and rewritten compactly when an event next
-- touches them, so nothing is converted here.
ALTER TABLE product_conflicts ADD COLUMN writers jsonb;

-- On the central only (central_devices exists there, central 0019): the products' GIN indexes take new entries in
-- their pending list and merge them in bulk (by VACUUM, or by the insert that fills gin_pending_list_limit) instead of
-- one tree insertion per trigram of every row. A terminal keeps fastupdate = off (0005): its searches must not scan
-- a pending list. The central's searches (back office) may, up to gin_pending_list_limit.
DO $$
BEGIN
  IF to_regclass('central_devices') IS NOT NULL THEN
    ALTER INDEX products_search SET (fastupdate = on);
    ALTER INDEX products_by_barcode SET (fastupdate = on);
  END IF;
END $$;
