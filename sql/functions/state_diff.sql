-- Keys whose row differs between commit old_c and commit new_c (plus, with
-- with_pending, the uncommitted changes of table tid), with both images. Both
-- sides are reached from their common ancestor on the state tree (at sdepth
-- lca_depth, computed when not given), through sdepth and each commit's state
-- parent, so the cost is the changes on the two paths, never the table (a
-- state commit has no change rows, so a path through it costs nothing for
-- it). For each key the value at one side is the last image on its path, or,
-- if that path never touched it, the first "before" on the other path (the
-- value at the common ancestor). sql/diff/between.sql, which every diff,
-- checkout, restore, switch and merge uses, calls this.
--
-- Pruned history (docs/prune.md): when a path crosses a pruned commit (its
-- change rows gone), each side is read instead from its own anchor: the
-- nearest commit on its state chain, itself included, that holds a base of
-- tid (a prune keeps one at every branch's boundary), its rows overlaid with
-- the changes since; the two states are compared whole (the cost of reading
-- the bases, as a reload would). A side whose walk meets a pruned commit
-- before any base raises E_PRUNED (vsg.pruned_error) rather than answer
-- without its changes.
CREATE OR REPLACE FUNCTION vsg.state_diff(tid int, old_c text, new_c text, with_pending boolean, lca_depth int DEFAULT NULL)
RETURNS TABLE (key jsonb, old jsonb, new jsonb) LANGUAGE sql STABLE AS $$
  WITH RECURSIVE lca AS (
    SELECT coalesce(lca_depth, vsg.lca_depth(old_c, new_c)) AS depth
  ), pa AS (
    -- the paths up to the common ancestor, each ending at its first pruned commit (gone)
    SELECT id, seq, coalesce(source, parent) AS up, sdepth, pruned IS NOT NULL AS gone
    FROM vsg.commits WHERE id = old_c AND sdepth > (SELECT depth FROM lca)
    UNION ALL
    SELECT c.id, c.seq, coalesce(c.source, c.parent), c.sdepth, c.pruned IS NOT NULL
    FROM vsg.commits c JOIN pa ON c.id = pa.up WHERE c.sdepth > (SELECT depth FROM lca) AND NOT pa.gone
  ), pb AS (
    SELECT id, seq, coalesce(source, parent) AS up, sdepth, pruned IS NOT NULL AS gone
    FROM vsg.commits WHERE id = new_c AND sdepth > (SELECT depth FROM lca)
    UNION ALL
    SELECT c.id, c.seq, coalesce(c.source, c.parent), c.sdepth, c.pruned IS NOT NULL
    FROM vsg.commits c JOIN pb ON c.id = pb.up WHERE c.sdepth > (SELECT depth FROM lca) AND NOT pb.gone
  ), m AS MATERIALIZED (
    SELECT EXISTS (SELECT 1 FROM pa WHERE gone) OR EXISTS (SELECT 1 FROM pb WHERE gone) AS based
  ), qa AS (
    -- pruned history on a path: each side up to its anchor (a commit with a base of tid)
    SELECT CASE WHEN pruned IS NULL THEN id ELSE vsg.pruned_error(id) END AS id, seq, coalesce(source, parent) AS up, sdepth,
           EXISTS (SELECT 1 FROM vsg.bases b WHERE b.table_id = tid AND b.commit_id = commits.id) AS anchor
    FROM vsg.commits WHERE id = old_c AND (SELECT based FROM m)
    UNION ALL
    SELECT CASE WHEN c.pruned IS NULL THEN c.id ELSE vsg.pruned_error(c.id) END, c.seq, coalesce(c.source, c.parent), c.sdepth,
           EXISTS (SELECT 1 FROM vsg.bases b WHERE b.table_id = tid AND b.commit_id = c.id)
    FROM vsg.commits c JOIN qa ON c.id = qa.up WHERE NOT qa.anchor
  ), qb AS (
    SELECT CASE WHEN pruned IS NULL THEN id ELSE vsg.pruned_error(id) END AS id, seq, coalesce(source, parent) AS up, sdepth,
           EXISTS (SELECT 1 FROM vsg.bases b WHERE b.table_id = tid AND b.commit_id = commits.id) AS anchor
    FROM vsg.commits WHERE id = new_c AND (SELECT based FROM m)
    UNION ALL
    SELECT CASE WHEN c.pruned IS NULL THEN c.id ELSE vsg.pruned_error(c.id) END, c.seq, coalesce(c.source, c.parent), c.sdepth,
           EXISTS (SELECT 1 FROM vsg.bases b WHERE b.table_id = tid AND b.commit_id = c.id)
    FROM vsg.commits c JOIN qb ON c.id = qb.up WHERE NOT qb.anchor
  ), ra AS (
    SELECT seq, sdepth FROM pa WHERE NOT (SELECT based FROM m)
    UNION ALL
    SELECT seq, sdepth FROM qa WHERE NOT anchor
  ), rb AS (
    SELECT seq, sdepth FROM pb WHERE NOT (SELECT based FROM m)
    UNION ALL
    SELECT seq, sdepth FROM qb WHERE NOT anchor
  ), sa AS (
    -- One index range scan per commit on the path. The planner's estimate of
    -- changes per commit is inflated by the root commit (which holds the whole
    -- table), so a plain join, or even this LATERAL alone, gets a sequential scan
    -- of every change ever recorded: O(table) instead of O(changes). A LIMIT it
    -- cannot evaluate at plan time makes it assume a small fraction is read, so
    -- the ordered primary-key scan wins. The limit itself never binds.
    SELECT ch.key, ch.before, ch.after, p.sdepth::bigint AS o1, 0::bigint AS o2
    FROM ra p CROSS JOIN LATERAL (SELECT r.key, r.before, r.after FROM vsg.commit_rows(p.seq) r ORDER BY r.key LIMIT (SELECT 9223372036854775807)) ch
  ), sb AS (
    SELECT ch.key, ch.before, ch.after, p.sdepth::bigint AS o1, 0::bigint AS o2
    FROM rb p CROSS JOIN LATERAL (SELECT r.key, r.before, r.after FROM vsg.commit_rows(p.seq) r ORDER BY r.key LIMIT (SELECT 9223372036854775807)) ch
    UNION ALL
    SELECT p.key, p.before, p.after, 9223372036854775807, p.seq
    FROM vsg.pending p WHERE with_pending AND p.table_id = tid
  ), na AS (
    SELECT key, (array_agg(before ORDER BY o1, o2))[1] AS first, (array_agg(after ORDER BY o1 DESC, o2 DESC))[1] AS last
    FROM sa GROUP BY key
  ), nb AS (
    SELECT key, (array_agg(before ORDER BY o1, o2))[1] AS first, (array_agg(after ORDER BY o1 DESC, o2 DESC))[1] AS last
    FROM sb GROUP BY key
  ), xa AS (
    -- a side's whole state from its anchor's base (none: the walk reached the root)
    SELECT r.key, r.image AS img FROM vsg.base_rows r
    WHERE r.base_id = (SELECT max(b.id) FROM vsg.bases b JOIN qa ON qa.anchor AND b.commit_id = qa.id WHERE b.table_id = tid)
      AND NOT EXISTS (SELECT 1 FROM na WHERE na.key = r.key)
    UNION ALL
    SELECT key, last FROM na WHERE last IS NOT NULL AND (SELECT based FROM m)
  ), xb AS (
    SELECT r.key, r.image AS img FROM vsg.base_rows r
    WHERE r.base_id = (SELECT max(b.id) FROM vsg.bases b JOIN qb ON qb.anchor AND b.commit_id = qb.id WHERE b.table_id = tid)
      AND NOT EXISTS (SELECT 1 FROM nb WHERE nb.key = r.key)
    UNION ALL
    SELECT key, last FROM nb WHERE last IS NOT NULL AND (SELECT based FROM m)
  ), d AS (
    SELECT coalesce(na.key, nb.key) AS key,
           CASE WHEN na.key IS NOT NULL THEN na.last ELSE nb.first END AS old,
           CASE WHEN nb.key IS NOT NULL THEN nb.last ELSE na.first END AS new
    FROM na FULL JOIN nb ON na.key = nb.key
    WHERE NOT (SELECT based FROM m)
    UNION ALL
    SELECT coalesce(xa.key, xb.key), xa.img, xb.img
    FROM xa FULL JOIN xb ON xa.key = xb.key
    WHERE (SELECT based FROM m)
  )
  SELECT key, old, new FROM d WHERE old IS DISTINCT FROM new
$$;
