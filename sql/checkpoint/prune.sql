-- Forget all but the newest $2 checkpoints of table $1, returning the copies
-- to drop. A root's (hash scheme 3) is its rows and is never pruned.
DELETE FROM vsg.checkpoints WHERE commit_id IN (
  SELECT k.commit_id FROM vsg.checkpoints k JOIN vsg.commits c ON c.id = k.commit_id
  WHERE k.table_id = $1 AND c.hash_scheme <> 3 ORDER BY c.seq DESC OFFSET $2)
RETURNING relname
