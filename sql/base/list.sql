-- The bases of the tables $1 (ids), oldest first.
SELECT id::text, table_id::text, commit_id, rows::text, hash FROM vsg.bases WHERE table_id = ANY ($1::int[]) ORDER BY id
