-- Whether commit $1 is reachable (over every parent) from any of the commits $2.
WITH RECURSIVE w(id) AS (
  SELECT unnest($2::text[])
  UNION
  SELECT p.id FROM w JOIN vsg.commits c ON c.id = w.id
  CROSS JOIN LATERAL (VALUES (c.parent), (c.merge_parent)) AS p(id) WHERE p.id IS NOT NULL
)
SELECT EXISTS (SELECT 1 FROM w WHERE id = $1::text) AS reachable
