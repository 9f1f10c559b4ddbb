DELETE FROM vsg.refs WHERE table_id = $1
