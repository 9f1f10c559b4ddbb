-- The state commits of table $1 that this prune keeps but whose source it
-- drops (pg_temp.vsg_prune), and that hold no base yet: each needs a base of
-- its own, or its state (its source's, which it reads through,
-- vsg.state_diff) and every commit above it could no longer be read (a
-- checkout recorded by reference on a branch whose boundary is below it,
-- docs/prune.md#the-point). One whose source an earlier build's prune dropped
-- cannot be read any more to make one: left as it is (it answers E_PRUNED).
SELECT c.id FROM vsg.commits c
WHERE c.table_id = $1::int AND c.source IS NOT NULL AND c.pruned IS NULL
  AND NOT EXISTS (SELECT 1 FROM pg_temp.vsg_prune p WHERE p.id = c.id)
  AND EXISTS (SELECT 1 FROM pg_temp.vsg_prune p WHERE p.id = c.source)
  AND NOT EXISTS (SELECT 1 FROM vsg.bases b WHERE b.table_id = $1::int AND b.commit_id = c.id)
ORDER BY c.seq
