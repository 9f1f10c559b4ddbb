-- Delete every change row of table $1: through changes_key, and the root's
-- rows, which are kept out of it (sql/migrations/021_root_rows.sql), through
-- the primary key at its root commit's seq (found by the partial index
-- commits_root, as vsg.key_changes finds it); and the chunks of its commits
-- kept packed (hash scheme 3: the root, large statements), whose copies the
-- caller dropped.
WITH r0 AS (
  SELECT c.seq FROM vsg.commits c WHERE c.table_id = $1 AND c.kind = 'ROOT' ORDER BY c.seq LIMIT 1
), r AS (
  DELETE FROM vsg.changes WHERE seq = (SELECT seq FROM r0) AND root
), k AS (
  DELETE FROM vsg.root_chunks WHERE seq IN (SELECT c.seq FROM vsg.commits c WHERE c.table_id = $1 AND c.hash_scheme = 3)
)
DELETE FROM vsg.changes WHERE table_id = $1 AND root IS NULL
