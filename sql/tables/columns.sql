-- The columns of a table, in order: name, type (as format_type spells it, so it
-- can be cast to), and whether vsg may write it back.
SELECT a.attname AS name,
       format_type(a.atttypid, a.atttypmod) AS type,
       (a.attgenerated <> '') AS generated,
       a.attidentity AS identity,
       a.attnotnull AS not_null
FROM pg_catalog.pg_attribute a
WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
ORDER BY a.attnum
