DELETE FROM vsg.checkpoints WHERE table_id = $1 RETURNING relname
