-- The checkpoints of table $1 a reload may read, newest first (passed over:
-- one dropped, unreadable, or emptied by a crash: vsg.checkpoint_usable).
SELECT k.commit_id, k.relname, k.rows::text, k.signature::text
FROM vsg.checkpoints k JOIN vsg.commits c ON c.id = k.commit_id
WHERE k.table_id = $1::int
  AND vsg.checkpoint_usable(k.relname, k.rows)
ORDER BY c.seq DESC
