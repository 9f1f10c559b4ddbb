-- Schema changes on the two state-tree paths (see docs/storage.md, version 11) from the
-- common commit at sdepth $3 to $1 (side 'from', undone when going from $1 to
-- $2) and to $2 (side 'to'); vsg.state_path walks each, and neither is walked
-- while the repository holds no schema change at all.
WITH any_change AS MATERIALIZED (SELECT EXISTS (SELECT 1 FROM vsg.schema_changes) AS yes)
SELECT 'from' AS side, s.commit_id, s.before::text, s.after::text, p.sdepth AS depth
FROM vsg.state_path($1::text, $3::int) p JOIN vsg.schema_changes s ON s.commit_id = p.id
WHERE (SELECT yes FROM any_change)
UNION ALL
SELECT 'to', s.commit_id, s.before::text, s.after::text, p.sdepth
FROM vsg.state_path($2::text, $3::int) p JOIN vsg.schema_changes s ON s.commit_id = p.id
WHERE (SELECT yes FROM any_change)
ORDER BY 1 DESC, 5
