-- The graph row of a new commit, from its parents' rows: one statement.
-- PL/pgSQL keeps a session's plans; one made while the graph was empty (a new
-- repository, or one whose statistics say so: ANALYZE of an empty table
-- sticks until the next one) scans the whole graph on every commit, which
-- makes a long-lived session's commits slower as history grows. With
-- sequential scans off, every plan made here reads the keys through their
-- indexes, whatever the statistics say. The readers (vsg.first_parent_reach, ...) do the same.
CREATE OR REPLACE FUNCTION vsg.commit_graph_add(c_seq bigint, c_depth int, c_parent text, c_merge_parent text, heal boolean DEFAULT true)
RETURNS void LANGUAGE plpgsql SET enable_seqscan = off AS $$
BEGIN
  IF c_parent IS NULL THEN
    INSERT INTO vsg.commit_graph (seq, depth, jump, jump_depth) VALUES (c_seq, c_depth, c_seq, c_depth);
    RETURN;
  END IF;
  -- Jump twice as far as the parent's jump when the parent's two jumps are
  -- equally long, else to the parent.
  INSERT INTO vsg.commit_graph (seq, depth, parent, merge_parent, jump, jump_depth, merge_at)
  SELECT c_seq, c_depth, p.seq, m.seq,
         CASE WHEN p.depth - p.jump_depth = p.jump_depth - j.jump_depth THEN j.jump ELSE p.seq END,
         CASE WHEN p.depth - p.jump_depth = p.jump_depth - j.jump_depth THEN j.jump_depth ELSE p.depth END,
         CASE WHEN m.seq IS NOT NULL THEN c_seq ELSE p.merge_at END
  FROM vsg.commits pc
  JOIN vsg.commit_graph p ON p.seq = pc.seq
  JOIN vsg.commit_graph j ON j.seq = p.jump
  LEFT JOIN vsg.commits m ON m.id = c_merge_parent
  WHERE pc.id = c_parent;
  IF FOUND THEN
    RETURN;
  END IF;
  -- The parent has no row: it was recorded while triggers were off
  -- (session_replication_role = replica, a data-only restore). Fill the
  -- missing rows, oldest first, then this one.
  IF heal THEN
    PERFORM vsg.commit_graph_fill(c_seq);
    PERFORM vsg.commit_graph_add(c_seq, c_depth, c_parent, c_merge_parent, false);
  ELSE
    RAISE EXCEPTION 'vsg: the commit graph has no row for parent %', c_parent USING ERRCODE = 'XX001';
  END IF;
END
$$;
