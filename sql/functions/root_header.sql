-- What a root of hash scheme 3 hashes of its checkpoint's shape (docs/integrity.md):
-- each column's name and type (format_type), length-prefixed, in column order.
-- A column renamed or retyped in the checkpoint changes the table hash.
CREATE OR REPLACE FUNCTION vsg.root_header(rel regclass) RETURNS bytea LANGUAGE sql STABLE AS $$
  SELECT convert_to(coalesce(string_agg(vsg.lp(a.attname::text) || vsg.lp(format_type(a.atttypid, a.atttypmod)), '' ORDER BY a.attnum), ''), 'UTF8')
  FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
$$;
