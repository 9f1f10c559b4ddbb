-- The columns of a table, in order: name, type (as format_type spells it, so it
-- can be cast to), whether vsg may write it back, and its default (the server's
-- own deparsed expression, used for columns an old row image does not have).
SELECT a.attname AS name,
       format_type(a.atttypid, a.atttypmod) AS type,
       (a.attgenerated <> '') AS generated,
       a.attidentity AS identity,
       a.attnotnull AS not_null,
       pg_get_expr(d.adbin, d.adrelid) AS default_expr
FROM pg_catalog.pg_attribute a
LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum AND a.attgenerated = ''
WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
