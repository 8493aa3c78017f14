-- Search a shop can use at 100k products: accent- and case-blind substring search through trigram indexes, a
-- barcode lookup through an index that leads with store_id, and an order Spanish speakers expect (Ñ after N, accents
-- ignored, "Producto 2" before "Producto 10") that is the same on PGlite and on PostgreSQL.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- unaccent() is STABLE (its dictionary could change), so an index or a generated column cannot call it directly. These
-- wrappers name the dictionary and are declared IMMUTABLE: changing unaccent.rules would need a REINDEX, which is the
-- accepted price. SQL-standard bodies are bound at creation, so no search_path can redirect them later.
CREATE FUNCTION search_fold(value text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN lower(unaccent('unaccent'::regdictionary, normalize(value, NFC)));

-- Byte-ordered (COLLATE "C") key: accents and case folded, ñ kept apart as "n" + U+10FFFF so it sorts after every
-- other n… and before o, and every run of digits written as its length (3 digits) then the digits without leading
-- zeros, so numbers compare by value. Neither engine's collation does this, and the two would not agree if one did.
CREATE FUNCTION product_sort_key(name text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
  SELECT coalesce(string_agg(
      CASE WHEN part[1] ~ '^[0-9]'
        THEN lpad(length(coalesce(nullif(ltrim(part[1], '0'), ''), '0'))::text, 3, '0') || coalesce(nullif(ltrim(part[1], '0'), ''), '0')
        ELSE part[1] END, '' ORDER BY n), '')
  FROM regexp_matches(
      replace(search_fold(translate(btrim(regexp_replace(normalize(name, NFC), '\s+', ' ', 'g')), 'ñÑ', chr(1114111) || chr(1114111))),
        chr(1114111), 'n' || chr(1114111)),
      '[0-9]+|[^0-9]+', 'g') WITH ORDINALITY AS parts(part, n);
END;

ALTER TABLE products
  ADD COLUMN search_text text GENERATED ALWAYS AS (search_fold(name) || E'\n' || search_fold(coalesce(sku, ''))) STORED,
  ADD COLUMN sort_key text COLLATE "C" GENERATED ALWAYS AS (product_sort_key(name)) STORED;

-- The pending list of a GIN index is only merged by VACUUM, and PGlite has no autovacuum: without fastupdate = off
-- every search would also scan every product added since the last VACUUM.
CREATE INDEX products_search ON products USING gin (search_text gin_trgm_ops) WITH (fastupdate = off);
DROP INDEX products_by_name;
CREATE INDEX products_by_sort_key ON products (store_id, sort_key, id);
-- Not unique: two terminals offline can give one barcode to two products; that is a conflict to show, not to refuse.
DROP INDEX products_by_barcode;
CREATE INDEX products_by_barcode ON products USING gin (store_id, barcodes) WITH (fastupdate = off);
