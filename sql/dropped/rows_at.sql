-- The rows of tracked table $1 as of commit $2 from its history alone (the
-- table may be dropped, or its history untracked): the rows of the table's
-- root commit, but those the state path from the root to $2 changed,
-- which come from that path (vsg.state_diff from the root, whose cost is the
-- changes after it). The root's rows are read as they are kept (a checkpoint
-- copy, hash scheme 3, or change rows), never sorted or grouped by key: for a
-- large table they are most of the rows, and a walk from nothing that took
-- them in with every other commit's spent most of its time there. Once pruned
-- (docs/prune.md), the path starts at the table's base instead: its rows, but
-- those the path from the base's commit to $2 changed, which come from the
-- path (a $2 before the base is on no such path: E_PRUNED). Without either
-- (a root pruned, which a prune never leaves without a base), the walk from
-- nothing, which raises E_PRUNED where history is gone.
WITH b AS (
  SELECT id, commit_id FROM vsg.bases WHERE table_id = $1::int ORDER BY id DESC LIMIT 1
), r AS MATERIALIZED (
  -- the table's root: every commit of the table is on a state path from it
  -- (a table has one; were there more, the walk from nothing)
  SELECT c.id, c.seq FROM vsg.commits c
  WHERE c.table_id = $1::int AND c.kind = 'ROOT' AND c.pruned IS NULL AND NOT EXISTS (SELECT 1 FROM b)
    AND NOT EXISTS (SELECT 1 FROM vsg.commits o WHERE o.table_id = $1::int AND o.kind = 'ROOT' AND o.seq <> c.seq)
    AND EXISTS (SELECT 1 FROM vsg.commits t WHERE t.id = $2::text AND t.table_id = $1::int)
), d AS MATERIALIZED (
  SELECT key, new FROM vsg.state_diff($1::int, coalesce((SELECT commit_id FROM b), (SELECT id FROM r)), $2::text, false,
                                      CASE WHEN EXISTS (SELECT 1 FROM b) THEN NULL WHEN EXISTS (SELECT 1 FROM r) THEN 0 ELSE -1 END)
)
SELECT x.key, x.image AS img FROM vsg.base_rows x JOIN b ON x.base_id = b.id
WHERE NOT EXISTS (SELECT 1 FROM d WHERE d.key = x.key)
UNION ALL
SELECT x.key, x.after FROM r CROSS JOIN LATERAL vsg.commit_rows(r.seq) x
WHERE x.after IS NOT NULL AND NOT EXISTS (SELECT 1 FROM d WHERE d.key = x.key)
UNION ALL
SELECT key, new FROM d WHERE new IS NOT NULL
