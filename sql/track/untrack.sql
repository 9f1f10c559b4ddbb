-- Table $1 is no longer versioned: its row stays, with the time and the name
-- it had then (an untracked history is named by it), for its history.
UPDATE vsg.tracked t
SET untracked_at = clock_timestamp(), applying = NULL,
    schema_name = coalesce(n.nspname, t.schema_name), table_name = coalesce(c.relname, t.table_name)
FROM vsg.tracked t0
LEFT JOIN pg_catalog.pg_class c ON c.oid = t0.relid
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE t.id = $1 AND t0.id = t.id
