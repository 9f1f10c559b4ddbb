INSERT INTO vsg.checkpoints (commit_id, table_id, relname, rows, signature) VALUES ($1, $2, $3, $4, $5::jsonb)
