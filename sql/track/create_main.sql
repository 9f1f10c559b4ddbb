INSERT INTO vsg.refs (table_id, kind, name, commit_id) VALUES ($1, 'branch', 'main', $2)
