-- Delete every change row of table $1: through changes_key, and the root's
-- rows, which are kept out of it (sql/migrations/021_root_rows.sql), through
-- the primary key at its root commit's seq (the table's first commit, as
-- vsg.key_changes reads it, from an index's first entry).
WITH r AS (
  DELETE FROM vsg.changes
  WHERE seq = (SELECT CASE WHEN c.kind = 'ROOT' THEN c.seq END FROM vsg.commits c WHERE c.table_id = $1 ORDER BY c.table_id, c.seq LIMIT 1) AND root
)
DELETE FROM vsg.changes WHERE table_id = $1 AND root IS NULL
