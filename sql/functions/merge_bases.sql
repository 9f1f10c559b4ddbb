-- The best common ancestors of commits a and b over every parent (first and
-- merge parents): common ancestors that are not an ancestor of another common
-- ancestor, with their seq. One row for an ordinary history, several for a
-- criss-cross. Common ancestors are closed under "parent of", so a common
-- ancestor is not best exactly when one of its children is common too: no
-- third walk needed (sql/merge/bases.sql orders them).
-- Each step reads one commit through a LATERAL ... LIMIT 1 (id is the key,
-- so the limit never binds), with sequential scans off, as in
-- vsg.first_parent_reach: the planner counts ten rows a step, and while
-- vsg.commits is under a hundred pages or so (about 2,000 commits) a hash of
-- the whole table looks cheaper than ten index probes; it then scans every
-- commit at every step (a merge base a thousand commits deep: 0.5-0.9 s that
-- way, 13 ms through the key). A plan a session keeps from when the table was
-- one page would do the same at any size.
CREATE OR REPLACE FUNCTION vsg.merge_bases(a text, b text) RETURNS TABLE (id text, seq bigint) LANGUAGE sql STABLE
  SET enable_seqscan = off AS $$
  WITH RECURSIVE wa(id) AS (
    SELECT a
    UNION
    SELECT p.id FROM wa
    CROSS JOIN LATERAL (SELECT c.parent, c.merge_parent FROM vsg.commits c WHERE c.id = wa.id LIMIT 1) c
    CROSS JOIN LATERAL (VALUES (c.parent), (c.merge_parent)) AS p(id) WHERE p.id IS NOT NULL
  ), wb(id) AS (
    SELECT b
    UNION
    SELECT p.id FROM wb
    CROSS JOIN LATERAL (SELECT c.parent, c.merge_parent FROM vsg.commits c WHERE c.id = wb.id LIMIT 1) c
    CROSS JOIN LATERAL (VALUES (c.parent), (c.merge_parent)) AS p(id) WHERE p.id IS NOT NULL
  ), common AS MATERIALIZED (
    SELECT c.id, c.parent, c.merge_parent, c.seq
    FROM (SELECT id FROM wa INTERSECT SELECT id FROM wb) x JOIN vsg.commits c ON c.id = x.id
  ), parents AS (
    SELECT parent AS id FROM common WHERE parent IS NOT NULL
    UNION
    SELECT merge_parent FROM common WHERE merge_parent IS NOT NULL
  )
  SELECT x.id, x.seq FROM common x
  WHERE NOT EXISTS (SELECT 1 FROM parents p WHERE p.id = x.id)
$$;
