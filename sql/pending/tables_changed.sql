-- The tracked tables with uncommitted changes of any writer (what a commit
-- without SQL or work, naming no table, records). A commit whose SQL or work
-- changed them asks vsg.changed_tables instead (sql/pending/touched_tables.sql).
SELECT t.id::text AS id FROM vsg.tracked t
WHERE EXISTS (SELECT 1 FROM vsg.pending p WHERE p.table_id = t.id)
ORDER BY t.id
