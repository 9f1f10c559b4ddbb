-- Commits reachable from the given heads ($1), newest first, filtered.
-- $2 limit, $3 author (substring, case-insensitive), $4 since, $5 until.
WITH RECURSIVE walk(id) AS (
  SELECT unnest($1::text[])
  UNION
  SELECT p.id FROM walk w JOIN vsg.commits c ON c.id = w.id
  CROSS JOIN LATERAL (VALUES (c.parent), (c.merge_parent)) AS p(id)
  WHERE p.id IS NOT NULL
)
SELECT c.id FROM walk w JOIN vsg.commits c ON c.id = w.id
WHERE ($3::text IS NULL OR c.author ILIKE '%' || $3 || '%')
  AND ($4::timestamptz IS NULL OR c.committed_at >= $4::timestamptz)
  AND ($5::timestamptz IS NULL OR c.committed_at <= $5::timestamptz)
ORDER BY c.seq DESC
LIMIT $2
