INSERT INTO vsg.merges (table_id, branch, ours, theirs, theirs_ref, base, message, author) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
