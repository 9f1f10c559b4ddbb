-- Keys whose row differs between commit old_c and commit new_c (plus, with
-- with_pending, the uncommitted changes of table tid), with both images. Both
-- sides are reached from their common ancestor on the state tree (at sdepth
-- lca_depth, computed when not given), through sdepth and each commit's state
-- parent, so the cost is the changes on the two paths, never the table (a
-- state commit has no change rows, so a path through it costs nothing for
-- it). For each key the value at one side is the last image on its path, or,
-- if that path never touched it, the first "before" on the other path (the
-- value at the common ancestor). sql/diff/between.sql, which every diff,
-- checkout, restore, switch and merge uses, calls this. A pruned commit on a
-- path (its change rows gone, docs/prune.md) raises E_PRUNED (vsg.pruned_error)
-- rather than answer without them.
CREATE OR REPLACE FUNCTION vsg.state_diff(tid int, old_c text, new_c text, with_pending boolean, lca_depth int DEFAULT NULL)
RETURNS TABLE (key jsonb, old jsonb, new jsonb) LANGUAGE sql STABLE AS $$
  WITH RECURSIVE lca AS (
    SELECT coalesce(lca_depth, vsg.lca_depth(old_c, new_c)) AS depth
  ), pa AS (
    SELECT CASE WHEN pruned IS NULL THEN id ELSE vsg.pruned_error(id) END AS id, coalesce(source, parent) AS up, sdepth
    FROM vsg.commits WHERE id = old_c AND sdepth > (SELECT depth FROM lca)
    UNION ALL
    SELECT CASE WHEN c.pruned IS NULL THEN c.id ELSE vsg.pruned_error(c.id) END, coalesce(c.source, c.parent), c.sdepth
    FROM vsg.commits c JOIN pa ON c.id = pa.up WHERE c.sdepth > (SELECT depth FROM lca)
  ), pb AS (
    SELECT CASE WHEN pruned IS NULL THEN id ELSE vsg.pruned_error(id) END AS id, coalesce(source, parent) AS up, sdepth
    FROM vsg.commits WHERE id = new_c AND sdepth > (SELECT depth FROM lca)
    UNION ALL
    SELECT CASE WHEN c.pruned IS NULL THEN c.id ELSE vsg.pruned_error(c.id) END, coalesce(c.source, c.parent), c.sdepth
    FROM vsg.commits c JOIN pb ON c.id = pb.up WHERE c.sdepth > (SELECT depth FROM lca)
  ), sa AS (
    -- One index range scan per commit on the path. The planner's estimate of
    -- changes per commit is inflated by the root commit (which holds the whole
    -- table), so a plain join, or even this LATERAL alone, gets a sequential scan
    -- of every change ever recorded: O(table) instead of O(changes). A LIMIT it
    -- cannot evaluate at plan time makes it assume a small fraction is read, so
    -- the ordered primary-key scan wins. The limit itself never binds.
    SELECT ch.key, ch.before, ch.after, p.sdepth::bigint AS o1, 0::bigint AS o2
    FROM pa p CROSS JOIN LATERAL (SELECT key, before, after FROM vsg.changes WHERE commit_id = p.id ORDER BY key LIMIT (SELECT 9223372036854775807)) ch
  ), sb AS (
    SELECT ch.key, ch.before, ch.after, p.sdepth::bigint AS o1, 0::bigint AS o2
    FROM pb p CROSS JOIN LATERAL (SELECT key, before, after FROM vsg.changes WHERE commit_id = p.id ORDER BY key LIMIT (SELECT 9223372036854775807)) ch
    UNION ALL
    SELECT p.key, p.before, p.after, 9223372036854775807, p.seq
    FROM vsg.pending p WHERE with_pending AND p.table_id = tid
  ), na AS (
    SELECT key, (array_agg(before ORDER BY o1, o2))[1] AS first, (array_agg(after ORDER BY o1 DESC, o2 DESC))[1] AS last
    FROM sa GROUP BY key
  ), nb AS (
    SELECT key, (array_agg(before ORDER BY o1, o2))[1] AS first, (array_agg(after ORDER BY o1 DESC, o2 DESC))[1] AS last
    FROM sb GROUP BY key
  ), d AS (
    SELECT coalesce(na.key, nb.key) AS key,
           CASE WHEN na.key IS NOT NULL THEN na.last ELSE nb.first END AS old,
           CASE WHEN nb.key IS NOT NULL THEN nb.last ELSE na.first END AS new
    FROM na FULL JOIN nb ON na.key = nb.key
  )
  SELECT key, old, new FROM d WHERE old IS DISTINCT FROM new
$$;
