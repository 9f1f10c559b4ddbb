-- The history of one row of history tid (a tracked table or an untracked
-- history; vsg.row_history names a table tracked now) on its current branch,
-- newest first: every commit reachable from HEAD that changed it, with the row before and after.
-- The row's own changes come through the (table_id, key, seq) index, plus, for
-- each state commit, its difference for that row (vsg.state_diff_key); they
-- are kept when their commit is reachable from HEAD (vsg.reachable), so it
-- costs that row's history, not the commit count.
CREATE OR REPLACE FUNCTION vsg.row_history_by_id(tid int, key jsonb)
RETURNS TABLE (commit_id text, committed_at timestamptz, author text, kind text, message text, before jsonb, after jsonb)
LANGUAGE sql STABLE AS $$
  WITH k AS MATERIALIZED (
    SELECT row_history_by_id.tid AS tid, vsg.history_key(tid, key) AS key
  ), states AS MATERIALIZED (
    SELECT c.id, c.parent, c.seq FROM vsg.commits c, k WHERE c.table_id = k.tid AND c.source IS NOT NULL
  ), hits AS MATERIALIZED (
    SELECT ch.commit_id, ch.seq, ch.before, ch.after FROM vsg.changes ch, k
    WHERE ch.table_id = k.tid AND ch.key = k.key
    UNION ALL
    SELECT s.id, s.seq, d.old, d.new FROM states s, k CROSS JOIN LATERAL vsg.state_diff_key(k.tid, s.parent, s.id, k.key) d
  ), head AS (
    SELECT c.seq FROM vsg.commits c
    WHERE c.id = (SELECT vsg.resolve_commit((SELECT tid FROM k), 'HEAD') WHERE EXISTS (SELECT 1 FROM hits))
  ), ok AS (
    SELECT vsg.reachable(head.seq, ARRAY(SELECT seq FROM hits)) AS seq FROM head
  )
  SELECT h.commit_id, c.committed_at, c.author, c.kind, c.message, h.before, h.after
  FROM hits h JOIN vsg.commits c ON c.id = h.commit_id
  WHERE h.seq IN (SELECT seq FROM ok)
  ORDER BY h.seq DESC
$$;
