-- The boundaries $1 (ids) are kept whatever other boundary they are older
-- than (each keeps a base): out of pg_temp.vsg_prune. Then how many commits
-- of table $2 it holds.
WITH d AS (DELETE FROM pg_temp.vsg_prune WHERE id = ANY ($1::text[]))
SELECT count(*)::text AS n FROM pg_temp.vsg_prune WHERE table_id = $2::int AND id <> ALL ($1::text[])
