-- The best common ancestors of commits $1 and $2 over every parent (first and
-- merge parents): common ancestors that are not an ancestor of another common
-- ancestor. One row for an ordinary history, several for a criss-cross.
-- Common ancestors are closed under "parent of", so a common ancestor is not
-- best exactly when one of its children is common too: no third walk needed.
WITH RECURSIVE a(id) AS (
  SELECT $1::text
  UNION
  SELECT p.id FROM a JOIN vsg.commits c ON c.id = a.id
  CROSS JOIN LATERAL (VALUES (c.parent), (c.merge_parent)) AS p(id) WHERE p.id IS NOT NULL
), b(id) AS (
  SELECT $2::text
  UNION
  SELECT p.id FROM b JOIN vsg.commits c ON c.id = b.id
  CROSS JOIN LATERAL (VALUES (c.parent), (c.merge_parent)) AS p(id) WHERE p.id IS NOT NULL
), common AS MATERIALIZED (
  SELECT c.id, c.parent, c.merge_parent, c.seq
  FROM (SELECT id FROM a INTERSECT SELECT id FROM b) x JOIN vsg.commits c ON c.id = x.id
), parents AS (
  SELECT parent AS id FROM common WHERE parent IS NOT NULL
  UNION
  SELECT merge_parent FROM common WHERE merge_parent IS NOT NULL
)
SELECT x.id FROM common x
WHERE NOT EXISTS (SELECT 1 FROM parents p WHERE p.id = x.id)
ORDER BY x.seq DESC
