-- The history of one row of history tid (a tracked table or an untracked
-- history; vsg.row_history names a table tracked now) on its current branch,
-- newest first: every commit reachable from HEAD (or from commit start, of
-- tid: the row's history as seen from there) that changed it, with the row
-- before and after.
-- The row's own changes come through its key (vsg.key_changes), plus, for
-- each state commit reachable from HEAD, its difference for that row
-- (vsg.state_diff_key); a commit is kept when it is reachable from HEAD
-- (vsg.reachable), so it costs that row's history, not the commit count. A
-- state commit on another branch is never read: its path may cross history
-- pruned there (docs/prune.md), which HEAD's history does not need.
-- (start was added after release 12: the two-argument function goes first)
DROP FUNCTION IF EXISTS vsg.row_history_by_id(int, jsonb);
CREATE OR REPLACE FUNCTION vsg.row_history_by_id(tid int, key jsonb, start text DEFAULT NULL)
RETURNS TABLE (commit_id text, committed_at timestamptz, author text, kind text, message text, before jsonb, after jsonb)
LANGUAGE sql STABLE AS $$
  WITH k AS MATERIALIZED (
    SELECT row_history_by_id.tid AS tid, vsg.history_key(tid, key) AS key
  ), states AS MATERIALIZED (
    -- a state commit whose parent was pruned is a boundary: what it changed is not known (docs/prune.md)
    SELECT c.id, c.parent, c.seq FROM vsg.commits c, k WHERE c.table_id = k.tid AND c.source IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM vsg.commits pc WHERE pc.id = c.parent AND pc.pruned IS NOT NULL)
  ), own AS MATERIALIZED (
    SELECT ch.seq, ch.before, ch.after FROM k CROSS JOIN LATERAL vsg.key_changes(k.tid, k.key) ch
  ), head AS (
    SELECT c.seq FROM vsg.commits c
    WHERE c.id = (SELECT coalesce(row_history_by_id.start, vsg.resolve_commit((SELECT tid FROM k), 'HEAD')) WHERE EXISTS (SELECT 1 FROM own) OR EXISTS (SELECT 1 FROM states))
  ), ok AS MATERIALIZED (
    SELECT vsg.reachable(head.seq, ARRAY(SELECT seq FROM own UNION ALL SELECT seq FROM states)) AS seq FROM head
  ), reach AS MATERIALIZED (
    -- kept apart: the planner must not compute the difference of a state commit it would then drop
    SELECT s.id, s.parent, s.seq FROM states s WHERE s.seq IN (SELECT seq FROM ok)
  ), hits AS (
    SELECT o.seq, o.before, o.after FROM own o WHERE o.seq IN (SELECT seq FROM ok)
    UNION ALL
    SELECT s.seq, d.old, d.new FROM reach s, k CROSS JOIN LATERAL vsg.state_diff_key(k.tid, s.parent, s.id, k.key) d
  )
  -- each hit's commit by its seq, one probe each (LATERAL with a LIMIT, never
  -- flattened): as a join, an estimate of the hits from a key the plan cannot
  -- see (k is materialized) made it hash every commit of the repository
  SELECT c.id, c.committed_at, c.author, c.kind, c.message, h.before, h.after
  FROM hits h CROSS JOIN LATERAL (SELECT x.id, x.committed_at, x.author, x.kind, x.message FROM vsg.commits x WHERE x.seq = h.seq LIMIT 1) c
  ORDER BY h.seq DESC
$$;
