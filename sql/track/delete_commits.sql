DELETE FROM vsg.commits WHERE table_id = $1
