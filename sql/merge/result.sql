-- The merged image of every key their side changed (NULL: no row), from
-- pg_temp.vsg_m_rows and the resolved conflicts in pg_temp.vsg_m_conf. A cell
-- only one side changed takes that side's value; a conflicting cell or row
-- takes its resolution.
WITH cells AS (
  SELECT r.key, c.col,
         CASE WHEN x.key IS NOT NULL THEN x.value
              WHEN (r.ours -> c.col) IS NOT DISTINCT FROM (r.base -> c.col) THEN r.theirs -> c.col
              ELSE r.ours -> c.col END AS v
  FROM pg_temp.vsg_m_rows r
  CROSS JOIN LATERAL (SELECT jsonb_object_keys(r.ours) UNION SELECT jsonb_object_keys(r.theirs)) AS c(col)
  LEFT JOIN pg_temp.vsg_m_conf x ON x.key = r.key AND x.col = c.col
  WHERE r.kind = 'cells'
)
SELECT key, theirs AS img FROM pg_temp.vsg_m_rows WHERE kind = 'theirs'
UNION ALL
SELECT r.key, x.value FROM pg_temp.vsg_m_rows r
JOIN pg_temp.vsg_m_conf x ON x.key = r.key AND x.col IS NULL
WHERE r.kind = 'row'
UNION ALL
SELECT key, jsonb_object_agg(col, v) FILTER (WHERE v IS NOT NULL) FROM cells GROUP BY key
