-- The commit N first-parent steps above $1 (HEAD~N), or nothing.
WITH RECURSIVE w AS (
  SELECT id, parent, 0 AS n FROM vsg.commits WHERE id = $1
  UNION ALL
  SELECT c.id, c.parent, w.n + 1 FROM vsg.commits c JOIN w ON c.id = w.parent WHERE w.n < $2
)
SELECT id FROM w WHERE n = $2
