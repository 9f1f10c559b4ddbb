SELECT id::text, table_id::text, commit_id FROM vsg.refs WHERE name = $1 AND kind = 'tag' AND ($2::int IS NULL OR table_id = $2::int)
