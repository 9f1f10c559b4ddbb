SELECT 1 FROM vsg.refs WHERE table_id = $1 AND name = $2 AND kind = 'branch'
