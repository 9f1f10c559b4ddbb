-- Delete every change row of table $1: through changes_key, and the root's
-- rows, which are kept out of it (sql/migrations/021_root_rows.sql), through
-- the primary key at its root commit's seq (found by the partial index
-- commits_root, as vsg.key_changes finds it).
WITH r AS (
  DELETE FROM vsg.changes
  WHERE seq = (SELECT c.seq FROM vsg.commits c WHERE c.table_id = $1 AND c.kind = 'ROOT' ORDER BY c.seq LIMIT 1) AND root
)
DELETE FROM vsg.changes WHERE table_id = $1 AND root IS NULL
