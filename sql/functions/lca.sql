-- The nearest common commit of a and b on the state tree, and its sdepth
-- (sql/history/lca.sql calls it; vsg.lca_depth gives the depth alone). Steps
-- the deeper side up until both meet: cost is the distance walked, one
-- index probe a step. Sequential scans are off for the reason given in
-- vsg.merge_bases: inlined into a statement a session keeps, a plan made
-- while vsg.commits was one page scanned the whole table at every step.
CREATE OR REPLACE FUNCTION vsg.lca(a text, b text) RETURNS TABLE (id text, depth int) LANGUAGE sql STABLE
  SET enable_seqscan = off AS $$
  WITH RECURSIVE w(a, b, da, db) AS (
    SELECT a, b, (SELECT c.sdepth FROM vsg.commits c WHERE c.id = a), (SELECT c.sdepth FROM vsg.commits c WHERE c.id = b)
    UNION ALL
    SELECT CASE WHEN w.da >= w.db THEN (SELECT coalesce(c.source, c.parent) FROM vsg.commits c WHERE c.id = w.a) ELSE w.a END,
           CASE WHEN w.db >= w.da THEN (SELECT coalesce(c.source, c.parent) FROM vsg.commits c WHERE c.id = w.b) ELSE w.b END,
           CASE WHEN w.da >= w.db THEN w.da - 1 ELSE w.da END,
           CASE WHEN w.db >= w.da THEN w.db - 1 ELSE w.db END
    FROM w WHERE w.a <> w.b
  )
  SELECT w.a, w.da FROM w WHERE w.a = w.b
$$;
