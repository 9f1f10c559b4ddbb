INSERT INTO vsg.refs (table_id, kind, name, commit_id) VALUES ($1, $2, $3, $4) RETURNING id::text
