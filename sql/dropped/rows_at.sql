-- The rows of tracked table $1 as of commit $2 from its history alone (the
-- table may be dropped, or its history untracked): every key the state path
-- from the root to $2 touched, with its last image. Costs the history on that
-- path, which is all there is. Once pruned (docs/prune.md), the path starts
-- at the table's base instead: its rows, but those the path from the base's
-- commit to $2 changed, which come from the path (a $2 before the base is on
-- no such path: E_PRUNED).
WITH b AS (
  SELECT id, commit_id FROM vsg.bases WHERE table_id = $1::int ORDER BY id DESC LIMIT 1
), d AS MATERIALIZED (
  SELECT key, new FROM vsg.state_diff($1::int, (SELECT commit_id FROM b), $2::text, false, CASE WHEN EXISTS (SELECT 1 FROM b) THEN NULL ELSE -1 END)
)
SELECT r.key, r.image AS img FROM vsg.base_rows r JOIN b ON r.base_id = b.id
WHERE NOT EXISTS (SELECT 1 FROM d WHERE d.key = r.key)
UNION ALL
SELECT key, new AS img FROM d WHERE new IS NOT NULL
