-- The tracked tables with uncommitted changes of any writer (what a commit
-- without SQL or work, naming no table, records): rows in vsg.pending, or
-- columns changed outside vsg since they were last recorded
-- (vsg.reshaped_tables), as status shows them. A commit whose SQL or work
-- changed them asks vsg.changed_tables instead (sql/pending/touched_tables.sql).
SELECT t.id::text AS id FROM vsg.tracked t
WHERE EXISTS (SELECT 1 FROM vsg.pending p WHERE p.table_id = t.id)
UNION
SELECT r::text FROM vsg.reshaped_tables(false) r
ORDER BY 1
