-- Rows that differ between commit $1 (old) and commit $2 (new), optionally
-- followed by the uncommitted changes of table $5 ($4): both are reached from
-- their first-parent common ancestor at depth $3, so the cost is the changes
-- on the two paths, never the table. For each key the value at one side is
-- the last image on its path, or, if that path never touched it, the first
-- "before" on the other path (the value at the common ancestor).
WITH RECURSIVE pa AS (
  SELECT id, parent, depth FROM vsg.commits WHERE id = $1 AND depth > $3
  UNION ALL
  SELECT c.id, c.parent, c.depth FROM vsg.commits c JOIN pa ON c.id = pa.parent WHERE c.depth > $3
), pb AS (
  SELECT id, parent, depth FROM vsg.commits WHERE id = $2 AND depth > $3
  UNION ALL
  SELECT c.id, c.parent, c.depth FROM vsg.commits c JOIN pb ON c.id = pb.parent WHERE c.depth > $3
), sa AS (
  SELECT ch.key, ch.before, ch.after, p.depth::bigint AS o1, 0::bigint AS o2
  FROM pa p JOIN vsg.changes ch ON ch.commit_id = p.id
), sb AS (
  SELECT ch.key, ch.before, ch.after, p.depth::bigint AS o1, 0::bigint AS o2
  FROM pb p JOIN vsg.changes ch ON ch.commit_id = p.id
  UNION ALL
  SELECT p.key, p.before, p.after, 9223372036854775807, p.seq
  FROM vsg.pending p WHERE $4 AND p.table_id = $5
), na AS (
  SELECT key, (array_agg(before ORDER BY o1, o2))[1] AS first, (array_agg(after ORDER BY o1 DESC, o2 DESC))[1] AS last
  FROM sa GROUP BY key
), nb AS (
  SELECT key, (array_agg(before ORDER BY o1, o2))[1] AS first, (array_agg(after ORDER BY o1 DESC, o2 DESC))[1] AS last
  FROM sb GROUP BY key
), d AS (
  SELECT coalesce(na.key, nb.key) AS key,
         CASE WHEN na.key IS NOT NULL THEN na.last ELSE nb.first END AS old,
         CASE WHEN nb.key IS NOT NULL THEN nb.last ELSE na.first END AS new
  FROM na FULL JOIN nb ON na.key = nb.key
)
SELECT key, old, new FROM d WHERE old IS DISTINCT FROM new
