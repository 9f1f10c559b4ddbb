SELECT kind, commit_id FROM vsg.refs WHERE table_id = $1 AND name = $2
