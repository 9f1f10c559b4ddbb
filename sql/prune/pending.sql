-- Uncommitted changes (vsg.pending) of the tables $1 (ids): prune refuses them.
SELECT count(*)::text AS n FROM vsg.pending WHERE table_id = ANY ($1::int[])
