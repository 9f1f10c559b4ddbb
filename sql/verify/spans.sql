-- Every commit across tables (vsg.commit_parts): its parts must hash to its
-- id (vsg.span_id), and each part must exist, as a commit of the table
-- recorded, unless that table is no longer tracked (untracked with its
-- history deleted). $1 a table id: only the commits with a part in it.
-- seq is its newest part's, to order it among the commits.
WITH s AS (
  SELECT p.id, array_agg(p.part) AS parts, min(p.table_id) AS table_id, max(c.seq) AS seq,
         bool_and(CASE WHEN c.id IS NULL THEN NOT EXISTS (SELECT 1 FROM vsg.tracked t WHERE t.id = p.table_id)
                       ELSE c.table_id = p.table_id END) AS parts_ok
  FROM vsg.commit_parts p LEFT JOIN vsg.commits c ON c.id = p.part
  GROUP BY p.id
  HAVING $1::int IS NULL OR bool_or(p.table_id = $1::int)
)
SELECT coalesce(seq, 0)::text AS seq, id, table_id::text, 'span_id' AS code, id AS expected, vsg.span_id(parts) AS actual
FROM s WHERE vsg.span_id(parts) <> id
UNION ALL
SELECT coalesce(seq, 0)::text, id, table_id::text, 'span_part', NULL, NULL
FROM s WHERE NOT parts_ok
ORDER BY 1
