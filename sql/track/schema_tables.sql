-- The tables `vsg track --schema $1` considers: ordinary and partitioned
-- tables of the schema (not partitions: their parent is tracked), each with
-- why it would be left alone ('tracked already', 'no primary key'), NULL when
-- it can be tracked. No row at
-- all when the schema does not exist; one row with a NULL name when it exists
-- but has no table.
SELECT c.relname AS name,
       CASE WHEN EXISTS (SELECT 1 FROM vsg.tracked t WHERE t.relid = c.oid AND t.untracked_at IS NULL) THEN 'tracked already'
            WHEN NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid AND i.indisprimary) THEN 'no primary key'
       END AS skip
FROM pg_catalog.pg_namespace n
LEFT JOIN pg_catalog.pg_class c
  ON c.relnamespace = n.oid AND c.relkind IN ('r', 'p') AND NOT c.relispartition
WHERE n.nspname = $1
ORDER BY c.relname COLLATE "C"
