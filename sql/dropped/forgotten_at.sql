-- The keys of the rows of tracked table $1 as of commit $2 (from history
-- alone, as dropped/rows_at.sql reads them, from the table's base once
-- pruned) that hold a forgotten value (vsg forget's marker, an object, where
-- a value was): the first five in key order, each with how many there are in all.
WITH b AS (
  SELECT id, commit_id FROM vsg.bases WHERE table_id = $1::int ORDER BY id DESC LIMIT 1
), d AS MATERIALIZED (
  SELECT key, new FROM vsg.state_diff($1::int, (SELECT commit_id FROM b), $2::text, false, CASE WHEN EXISTS (SELECT 1 FROM b) THEN NULL ELSE -1 END)
), x AS (
  SELECT r.key, r.image AS img FROM vsg.base_rows r JOIN b ON r.base_id = b.id
  WHERE NOT EXISTS (SELECT 1 FROM d WHERE d.key = r.key)
  UNION ALL
  SELECT key, new FROM d WHERE new IS NOT NULL
)
SELECT x.key::text AS key, count(*) OVER ()::text AS n
FROM x
WHERE EXISTS (SELECT 1 FROM jsonb_each(x.img) e WHERE jsonb_typeof(e.value) = 'object')
ORDER BY x.key::text
LIMIT 5
