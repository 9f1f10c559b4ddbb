-- Rows and cells a rollback would overwrite, from vsg_rollback (the commit's
-- changes beside the live rows: a CTE of the statement src/ops/rollback.ts
-- builds around this one, sql/timetravel/rollback_rows.sql). A cell conflicts when it holds
-- neither what the commit wrote nor what it replaced; a row conflicts when it
-- was deleted, re-inserted or changed since, or has uncommitted changes.
-- Values come back as jsonb text: a cell as a JSON string (or null), a row as an object.
WITH r AS (SELECT * FROM vsg_rollback)
SELECT key::text, NULL AS col, 'uncommitted' AS reason, before::text, after::text, cur::text AS cur, 0 AS o
FROM r WHERE pending
UNION ALL
SELECT key::text, NULL, 'changed', NULL, after::text, cur::text, 1
FROM r WHERE NOT pending AND before IS NULL AND cur IS NOT NULL AND NOT cur @> after
UNION ALL
SELECT key::text, NULL, 'reinserted', before::text, NULL, cur::text, 1
FROM r WHERE NOT pending AND after IS NULL AND cur IS NOT NULL AND NOT cur @> before
UNION ALL
SELECT key::text, NULL, 'deleted', before::text, after::text, NULL, 1
FROM r WHERE NOT pending AND before IS NOT NULL AND after IS NOT NULL AND cur IS NULL
UNION ALL
SELECT r.key::text, k.col, 'changed', (r.before->k.col)::text, (r.after->k.col)::text, (r.cur->k.col)::text, 2
FROM r CROSS JOIN LATERAL jsonb_object_keys(r.after) AS k(col)
WHERE NOT r.pending AND r.before IS NOT NULL AND r.cur IS NOT NULL
  AND r.before->k.col IS DISTINCT FROM r.after->k.col
  AND r.cur->k.col IS DISTINCT FROM r.after->k.col
  AND r.cur->k.col IS DISTINCT FROM r.before->k.col
ORDER BY 1, 7, 2
