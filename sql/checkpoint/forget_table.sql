-- The checkpoints of table $1, removed from the list for the caller to drop:
-- the caches, and with $2 the root's too (hash scheme 3: history, dropped only with it).
DELETE FROM vsg.checkpoints WHERE table_id = $1 AND (root IS NOT TRUE OR $2::boolean) RETURNING relname
