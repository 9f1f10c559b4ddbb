SELECT before::text, after::text FROM vsg.schema_changes WHERE commit_id = $1
