DELETE FROM vsg.checkpoints WHERE commit_id IN (
  SELECT k.commit_id FROM vsg.checkpoints k JOIN vsg.commits c ON c.id = k.commit_id
  WHERE k.table_id = $1 AND k.root IS NOT TRUE ORDER BY c.seq DESC OFFSET $2)
RETURNING relname
