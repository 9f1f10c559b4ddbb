-- Record what vsg needs to recreate tracked table $1 should it be dropped,
-- beyond its signature: per column its attnum, name, type, NOT NULL and
-- default (the server's deparsed expression), under the key 'shape' of
-- vsg.tracked.signature. Done when a table is tracked, when a SCHEMA commit
-- records its columns, and when it is recreated (src/core/dropped.ts).
UPDATE vsg.tracked t SET signature = coalesce(t.signature, '{}') || jsonb_build_object('shape', (
  SELECT coalesce(jsonb_agg(jsonb_build_object(
           'num', a.attnum, 'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod),
           'notnull', a.attnotnull,
           'default', CASE WHEN a.attgenerated = '' THEN pg_get_expr(d.adbin, d.adrelid) END) ORDER BY a.attnum), '[]')
  FROM pg_catalog.pg_attribute a
  LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
  WHERE a.attrelid = t.relid AND a.attnum > 0 AND NOT a.attisdropped))
WHERE t.id = $1
