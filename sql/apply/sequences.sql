-- Columns of a table fed by a sequence (serial or identity), with the sequence.
SELECT a.attname AS name, pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) AS seq
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
  AND pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) IS NOT NULL
