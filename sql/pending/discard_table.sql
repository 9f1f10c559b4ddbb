DELETE FROM vsg.pending WHERE table_id = $1
