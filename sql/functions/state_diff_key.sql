-- The same for one key: its value at old_c and at new_c, when they differ.
-- Each commit on the two paths is probed for that key alone, so the cost is
-- the paths' length, not their changes. Row history and blame use it for the
-- state commits a row's history passes through.
--
-- Pruned history (docs/prune.md): when a path crosses a pruned commit (its
-- change rows gone), the key's value there is not on the path; the answer is
-- then vsg.state_diff's for that key (each side read from its own base, or
-- E_PRUNED), never a difference computed without the pruned changes.
--
-- STRICT (a NULL argument: no difference) also keeps the planner from inlining
-- it into its callers: row history and blame name it for the state commits a
-- row's history may pass through, and inlined, its body and vsg.state_diff's
-- within it were planned at every call even when there is none (4 ms of a
-- 5 ms row history); called, it is planned only when a state commit needs it.
CREATE OR REPLACE FUNCTION vsg.state_diff_key(tid int, old_c text, new_c text, k jsonb)
RETURNS TABLE (key jsonb, old jsonb, new jsonb) LANGUAGE sql STABLE STRICT AS $$
  WITH RECURSIVE lca AS (
    SELECT vsg.lca_depth(old_c, new_c) AS depth
  ), p(side, id, seq, up, sdepth, gone) AS (
    SELECT s.side, c.id, c.seq, coalesce(c.source, c.parent), c.sdepth, c.pruned IS NOT NULL
    FROM (VALUES (1, old_c), (2, new_c)) AS s(side, id) JOIN vsg.commits c ON c.id = s.id
    WHERE c.sdepth > (SELECT depth FROM lca)
    UNION ALL
    SELECT p.side, c.id, c.seq, coalesce(c.source, c.parent), c.sdepth, c.pruned IS NOT NULL
    FROM vsg.commits c JOIN p ON c.id = p.up WHERE c.sdepth > (SELECT depth FROM lca) AND NOT p.gone
  ), m AS MATERIALIZED (
    SELECT EXISTS (SELECT 1 FROM p WHERE gone) AS based
  ), s AS (
    SELECT p.side, p.sdepth, ch.before, ch.after
    FROM p CROSS JOIN LATERAL vsg.commit_rows(p.seq) ch WHERE ch.key = k
  ), n AS (
    SELECT side, (array_agg(before ORDER BY sdepth))[1] AS first, (array_agg(after ORDER BY sdepth DESC))[1] AS last
    FROM s GROUP BY side
  ), d AS (
    SELECT CASE WHEN a.side IS NOT NULL THEN a.last ELSE b.first END AS old,
           CASE WHEN b.side IS NOT NULL THEN b.last ELSE a.first END AS new
    FROM (SELECT * FROM n WHERE side = 1) a FULL JOIN (SELECT * FROM n WHERE side = 2) b ON true
  )
  SELECT k, old, new FROM d WHERE old IS DISTINCT FROM new AND NOT (SELECT based FROM m)
  UNION ALL
  SELECT x.key, x.old, x.new FROM vsg.state_diff(tid, old_c, new_c, false) x WHERE (SELECT based FROM m) AND x.key = k
$$;
