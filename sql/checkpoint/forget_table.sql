-- Forget the checkpoints of table $1 (untrack), returning the copies to drop;
-- with $2, a root's (hash scheme 3) too, which is history (untrack --force).
DELETE FROM vsg.checkpoints k WHERE k.table_id = $1
  AND ($2 OR NOT EXISTS (SELECT 1 FROM vsg.commits c WHERE c.id = k.commit_id AND c.hash_scheme = 3))
RETURNING relname
