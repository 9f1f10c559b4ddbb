-- Schema changes on the two first-parent paths from the common commit at depth
-- $3 to $1 (side 'from', undone when going from $1 to $2) and to $2 (side 'to').
WITH RECURSIVE pa AS (
  SELECT id, parent, depth FROM vsg.commits WHERE id = $1 AND depth > $3
  UNION ALL
  SELECT c.id, c.parent, c.depth FROM vsg.commits c JOIN pa ON c.id = pa.parent WHERE c.depth > $3
), pb AS (
  SELECT id, parent, depth FROM vsg.commits WHERE id = $2 AND depth > $3
  UNION ALL
  SELECT c.id, c.parent, c.depth FROM vsg.commits c JOIN pb ON c.id = pb.parent WHERE c.depth > $3
)
SELECT 'from' AS side, s.commit_id, s.before::text, s.after::text, p.depth
FROM pa p JOIN vsg.schema_changes s ON s.commit_id = p.id
UNION ALL
SELECT 'to', s.commit_id, s.before::text, s.after::text, p.depth
FROM pb p JOIN vsg.schema_changes s ON s.commit_id = p.id
ORDER BY 1 DESC, 5
