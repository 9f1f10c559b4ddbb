-- The nearest common commit of $1 and $2 on their first-parent chains, and its
-- depth. Steps the deeper side up until both meet: cost is the distance walked.
WITH RECURSIVE w(a, b, da, db) AS (
  SELECT $1::text, $2::text,
         (SELECT depth FROM vsg.commits WHERE id = $1),
         (SELECT depth FROM vsg.commits WHERE id = $2)
  UNION ALL
  SELECT CASE WHEN w.da >= w.db THEN (SELECT parent FROM vsg.commits WHERE id = w.a) ELSE w.a END,
         CASE WHEN w.db >= w.da THEN (SELECT parent FROM vsg.commits WHERE id = w.b) ELSE w.b END,
         CASE WHEN w.da >= w.db THEN w.da - 1 ELSE w.da END,
         CASE WHEN w.db >= w.da THEN w.db - 1 ELSE w.db END
  FROM w WHERE w.a <> w.b
)
SELECT a AS id, da::text AS depth FROM w WHERE a = b
