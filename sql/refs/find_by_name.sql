SELECT id::text, commit_id, kind FROM vsg.refs WHERE table_id = $1 AND name = $2
