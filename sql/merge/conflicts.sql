-- The conflicts of a three-way merge (over pg_temp.vsg_m_rows): a row one
-- side deleted and the other changed, and each cell both sides changed to
-- different values. $1 = 'ours' / 'theirs' resolves them that way, NULL leaves
-- them open.
SELECT r.key, NULL::text AS col,
       CASE WHEN r.ours IS NULL THEN 'delete/update' ELSE 'update/delete' END AS kind,
       r.base, r.ours, r.theirs,
       $1::text IS NOT NULL AS resolved,
       CASE $1::text WHEN 'ours' THEN r.ours WHEN 'theirs' THEN r.theirs END AS value
FROM pg_temp.vsg_m_rows r
WHERE r.kind = 'row'
UNION ALL
SELECT r.key, c.col,
       CASE WHEN r.base IS NULL THEN 'insert/insert' ELSE 'update/update' END,
       r.base -> c.col, r.ours -> c.col, r.theirs -> c.col,
       $1::text IS NOT NULL,
       CASE $1::text WHEN 'ours' THEN r.ours -> c.col WHEN 'theirs' THEN r.theirs -> c.col END
FROM pg_temp.vsg_m_rows r
CROSS JOIN LATERAL (SELECT jsonb_object_keys(r.ours) UNION SELECT jsonb_object_keys(r.theirs)) AS c(col)
WHERE r.kind = 'cells'
  AND (r.ours -> c.col) IS DISTINCT FROM (r.theirs -> c.col)
  AND (r.ours -> c.col) IS DISTINCT FROM (r.base -> c.col)
  AND (r.theirs -> c.col) IS DISTINCT FROM (r.base -> c.col)
