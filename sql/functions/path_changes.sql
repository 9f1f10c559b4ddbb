-- The rows changed on the two state paths between a and b (an upper bound of
-- the rows that differ between them), from the commits' own counts: what
-- checkout weighs a reload against. Costs the paths' length: one index probe
-- a step (a LATERAL ... LIMIT 1 with sequential scans off, for the reason
-- given in vsg.merge_bases).
CREATE OR REPLACE FUNCTION vsg.path_changes(a text, b text) RETURNS bigint LANGUAGE sql STABLE
  SET enable_seqscan = off AS $$
  WITH RECURSIVE lca AS (
    SELECT vsg.lca_depth(a, b) AS depth
  ), p(id, up, n) AS (
    SELECT c.id, coalesce(c.source, c.parent), coalesce(c.inserted + c.updated + c.deleted, 0)
    FROM unnest(ARRAY[a, b]) AS s(id) JOIN vsg.commits c ON c.id = s.id
    WHERE c.sdepth > (SELECT depth FROM lca)
    UNION ALL
    SELECT c.id, coalesce(c.source, c.parent), coalesce(c.inserted + c.updated + c.deleted, 0)
    FROM p CROSS JOIN LATERAL (SELECT * FROM vsg.commits c WHERE c.id = p.up LIMIT 1) c
    WHERE c.sdepth > (SELECT depth FROM lca)
  )
  SELECT coalesce(sum(n), 0)::bigint FROM p
$$;
