-- Every merge in progress: its table, and what groups the tables of one merge across tables (started together, same ref).
SELECT table_id, started_at::text AS started_at, theirs_ref FROM vsg.merges ORDER BY table_id
