-- Fast path of log for a history without merges: follow first parents and stop
-- as soon as enough commits are found (the recursive walk is lazy under LIMIT).
WITH RECURSIVE walk AS (
  SELECT c.id, c.parent, c.author, c.committed_at FROM vsg.commits c WHERE c.id = $1
  UNION ALL
  SELECT c.id, c.parent, c.author, c.committed_at FROM walk w JOIN vsg.commits c ON c.id = w.parent
)
SELECT id FROM walk
WHERE ($3::text IS NULL OR author ILIKE '%' || $3 || '%')
  AND ($4::timestamptz IS NULL OR committed_at >= $4::timestamptz)
  AND ($5::timestamptz IS NULL OR committed_at <= $5::timestamptz)
LIMIT $2
