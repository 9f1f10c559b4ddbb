-- The order of a root checkpoint's rows (hash scheme 3, docs/integrity.md):
-- its key columns in key order, each collatable one in "C" (byte) order, as
-- an ORDER BY list over `alias` (or bare column names: the checkpoint's key
-- index, sql/track/root_index.sql). Byte order is the same on every server and
-- after every upgrade of the C library, where a language's collation is not.
CREATE OR REPLACE FUNCTION vsg.root_key_order(rel regclass, key_columns text[], alias text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT string_agg(CASE WHEN alias IS NULL THEN format('%I', a.attname) ELSE format('%I.%I', alias, a.attname) END
                    || CASE WHEN a.attcollation <> 0 THEN ' COLLATE "C"' ELSE '' END, ', ' ORDER BY k.n)
  FROM unnest(key_columns) WITH ORDINALITY AS k(c, n)
  JOIN pg_catalog.pg_attribute a ON a.attrelid = rel AND a.attname = k.c AND a.attnum > 0 AND NOT a.attisdropped
$$;
