INSERT INTO vsg.schema_changes (commit_id, table_id, before, after) VALUES ($1, $2, $3::jsonb, $4::jsonb)
