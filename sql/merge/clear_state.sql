DELETE FROM vsg.merges WHERE table_id = $1
