-- The checkpoints of table $1 a commit's new one makes surplus: all but the
-- newest $2 (the root's is history, never one of them), and any a crash
-- emptied (vsg.checkpoint_emptied: a reload passes it over, so it would only
-- hold its place).
-- Their relations' names, for src/core/checkpoint.ts to drop.
DELETE FROM vsg.checkpoints d
WHERE d.table_id = $1 AND d.root IS NOT TRUE
  AND (d.commit_id IN (SELECT k.commit_id FROM vsg.checkpoints k JOIN vsg.commits c ON c.id = k.commit_id
                       WHERE k.table_id = $1 AND k.root IS NOT TRUE
                       ORDER BY c.seq DESC OFFSET $2)
       OR vsg.checkpoint_emptied(d.relname, d.rows))
RETURNING d.relname
