-- Schema changes on the two state-tree paths (see docs/storage.md, version 11) from the
-- common commit at sdepth $3 to $1 (side 'from', undone when going from $1 to
-- $2) and to $2 (side 'to').
WITH RECURSIVE pa AS (
  SELECT id, coalesce(source, parent) AS up, sdepth FROM vsg.commits WHERE id = $1 AND sdepth > $3
  UNION ALL
  SELECT c.id, coalesce(c.source, c.parent), c.sdepth FROM vsg.commits c JOIN pa ON c.id = pa.up WHERE c.sdepth > $3
), pb AS (
  SELECT id, coalesce(source, parent) AS up, sdepth FROM vsg.commits WHERE id = $2 AND sdepth > $3
  UNION ALL
  SELECT c.id, coalesce(c.source, c.parent), c.sdepth FROM vsg.commits c JOIN pb ON c.id = pb.up WHERE c.sdepth > $3
)
SELECT 'from' AS side, s.commit_id, s.before::text, s.after::text, p.sdepth AS depth
FROM pa p JOIN vsg.schema_changes s ON s.commit_id = p.id
UNION ALL
SELECT 'to', s.commit_id, s.before::text, s.after::text, p.sdepth
FROM pb p JOIN vsg.schema_changes s ON s.commit_id = p.id
ORDER BY 1 DESC, 5
