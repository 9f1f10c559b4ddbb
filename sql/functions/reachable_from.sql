-- Whether commit target is reachable (over every parent) from any of the
-- commits starts, by id: vsg.reachable from each over the commit graph, whose
-- cost follows the merges between them, not the commits. Sequential scans are
-- off, as in vsg.merge_bases: with statistics that say vsg.commits is small, a
-- lookup of two ids by key was planned as a scan of every commit.
CREATE OR REPLACE FUNCTION vsg.reachable_from(target text, starts text[]) RETURNS boolean LANGUAGE sql STABLE
  SET enable_seqscan = off AS $$
  SELECT EXISTS (
    SELECT 1
    FROM vsg.commits t
    CROSS JOIN unnest(starts) AS f(id)
    JOIN vsg.commits fc ON fc.id = f.id
    CROSS JOIN LATERAL vsg.reachable(fc.seq, ARRAY[t.seq]) r
    WHERE t.id = target
  )
$$;
