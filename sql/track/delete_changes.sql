DELETE FROM vsg.changes WHERE table_id = $1
