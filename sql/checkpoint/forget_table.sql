-- The checkpoints of table $1, removed from the list for the caller to drop:
-- the caches, and with $2 what is history and goes only with it: the root's
-- checkpoint and the copies of its large statements kept packed (hash scheme 3,
-- vsg.packed_<seq>), whose chunks sql/track/delete_changes.sql deletes.
WITH d AS (
  DELETE FROM vsg.checkpoints WHERE table_id = $1 AND (root IS NOT TRUE OR $2::boolean) RETURNING relname
)
SELECT relname FROM d
UNION ALL
SELECT 'packed_' || c.seq FROM vsg.commits c
WHERE $2::boolean AND c.table_id = $1 AND c.hash_scheme = 3 AND c.kind <> 'ROOT'
  AND to_regclass(format('vsg.%I', 'packed_' || c.seq)) IS NOT NULL
