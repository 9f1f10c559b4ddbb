-- A root checkpoint (hash scheme 3): $1 commit, $2 table id, $3 relname,
-- $4 rows, $5 signature. Part of history: kept by the newest-few rule, untrack
-- and forget_table; dropped only with the commit (prune, untrack --force).
INSERT INTO vsg.checkpoints (commit_id, table_id, relname, rows, signature, root) VALUES ($1, $2, $3, $4, $5::jsonb, true)
