-- The commits on the state-tree path (docs/storage.md, version 11) from commit
-- c up to the common commit at sdepth `above`, that one excluded, with their
-- sdepth: what sql/diff/schema_between.sql reads schema changes along. One
-- probe of commits_pkey a step (a LATERAL ... LIMIT 1 with sequential scans
-- off, for the reason given in vsg.merge_bases): a path from the root's
-- checkpoint, which a checkout planning a reload reads, is the whole history.
CREATE OR REPLACE FUNCTION vsg.state_path(c text, above int) RETURNS TABLE (id text, sdepth int) LANGUAGE sql STABLE
  SET enable_seqscan = off AS $$
  WITH RECURSIVE p(id, up, sdepth) AS (
    SELECT s.id, coalesce(s.source, s.parent), s.sdepth FROM vsg.commits s WHERE s.id = c AND s.sdepth > above
    UNION ALL
    SELECT n.id, coalesce(n.source, n.parent), n.sdepth
    FROM p CROSS JOIN LATERAL (SELECT * FROM vsg.commits x WHERE x.id = p.up LIMIT 1) n
    WHERE n.sdepth > above
  )
  SELECT p.id, p.sdepth FROM p
$$;
