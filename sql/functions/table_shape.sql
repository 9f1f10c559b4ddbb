-- What vsg needs to recreate a tracked table that was dropped, beyond its
-- signature (vsg.table_signature): per column its attnum, name, type, NOT NULL
-- and default (the server's deparsed expression). Recorded under the key
-- 'shape' of vsg.tracked.signature when a table is tracked, when a SCHEMA
-- commit records its columns, and when it is recreated.
CREATE OR REPLACE FUNCTION vsg.table_shape(rel oid) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'num', a.attnum, 'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
           'notnull', a.attnotnull,
           'default', CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END) ORDER BY a.attnum), '[]')
  FROM pg_catalog.pg_attribute a
  LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
$$;
