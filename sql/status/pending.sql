-- Uncommitted changes of a table, netted per key: value at HEAD, value now.
WITH net AS (
  SELECT key, (array_agg(before ORDER BY seq))[1] AS before, (array_agg(after ORDER BY seq DESC))[1] AS after
  FROM vsg.pending WHERE table_id = $1 GROUP BY key
)
SELECT count(*) FILTER (WHERE before IS NULL)::text AS inserted,
       count(*) FILTER (WHERE before IS NOT NULL AND after IS NOT NULL)::text AS updated,
       count(*) FILTER (WHERE after IS NULL)::text AS deleted
FROM net WHERE before IS DISTINCT FROM after
