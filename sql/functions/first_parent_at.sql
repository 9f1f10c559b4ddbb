-- The first-parent ancestor of commit start at depth d (start itself at its
-- own depth), or nothing: O(log depth) lookups.
CREATE OR REPLACE FUNCTION vsg.first_parent_at(start bigint, d int) RETURNS bigint LANGUAGE sql STABLE
  SET enable_seqscan = off AS $$
  WITH RECURSIVE w(cur, cdepth) AS (
    SELECT s.seq, s.depth FROM vsg.commit_graph s WHERE s.seq = start AND d >= 0 AND s.depth >= d
    UNION ALL
    SELECT CASE WHEN g.jump_depth >= d THEN g.jump ELSE g.parent END,
           CASE WHEN g.jump_depth >= d THEN g.jump_depth ELSE g.depth - 1 END
    FROM w CROSS JOIN LATERAL (SELECT * FROM vsg.commit_graph g WHERE g.seq = w.cur LIMIT 1) g
    WHERE w.cdepth > d
  )
  SELECT cur FROM w WHERE cdepth = d
$$;
