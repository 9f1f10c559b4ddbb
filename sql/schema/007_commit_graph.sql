-- vsg schema, version 7: a commit-graph index, so that reading one row's
-- history, blaming one row and `log -n N` cost what they return, not the
-- number of commits behind them.
--
-- One small row per commit, keyed by the commit's seq (seq is a topological
-- order: a commit is inserted after its parents, so every ancestor has a
-- smaller seq). Besides the parents it holds a skip pointer on the
-- first-parent chain ("jump", the skew-binary scheme of Myers, "An applicative
-- random-access stack", 1983): the first-parent ancestor at any depth is found
-- in O(log depth) steps, so "is X on HEAD's first-parent chain" is a handful
-- of index lookups however deep the history. merge_at points at the nearest
-- merge on the chain, so the merges reachable from a commit are listed without
-- walking the commits between them. A trigger fills it for every new commit;
-- this migration fills it for the commits already there, with new commits held
-- off meanwhile so that none is missed.
LOCK TABLE vsg.commits IN SHARE ROW EXCLUSIVE MODE;

CREATE TABLE vsg.commit_graph (
  seq          bigint PRIMARY KEY REFERENCES vsg.commits(seq) ON DELETE CASCADE,
  depth        int NOT NULL,     -- vsg.commits.depth: first-parent distance from the root
  parent       bigint,           -- first parent's seq
  merge_parent bigint,           -- merge parent's seq
  jump         bigint NOT NULL,  -- a first-parent ancestor (the commit itself at the root)
  jump_depth   int NOT NULL,     -- its depth
  merge_at     bigint            -- the nearest merge commit on the first-parent chain, itself included
);

-- The graph row of a new commit, from its parents' rows: one statement.
-- PL/pgSQL keeps a session's plans; one made while the graph was empty (a new
-- repository, or one whose statistics say so: ANALYZE of an empty table
-- sticks until the next one) scans the whole graph on every commit, which
-- makes a long-lived session's commits slower as history grows. With
-- sequential scans off, every plan made here reads the keys through their
-- indexes, whatever the statistics say. The readers below do the same.
CREATE FUNCTION vsg.commit_graph_add(c_seq bigint, c_depth int, c_parent text, c_merge_parent text, heal boolean DEFAULT true)
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

-- Add the graph rows of every commit below seq `below` that lacks one, oldest
-- first; how many. The migration fills the graph with it; `vsg doctor` names
-- it when commits lack a row (their row history would miss them).
CREATE FUNCTION vsg.commit_graph_fill(below bigint DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql SET enable_seqscan = off AS $$
DECLARE
  r record;
  n bigint := 0;
BEGIN
  FOR r IN
    SELECT c.seq, c.depth, c.parent, c.merge_parent FROM vsg.commits c
    WHERE (below IS NULL OR c.seq < below) AND NOT EXISTS (SELECT 1 FROM vsg.commit_graph g WHERE g.seq = c.seq)
    ORDER BY c.seq
  LOOP
    PERFORM vsg.commit_graph_add(r.seq, r.depth, r.parent, r.merge_parent, false);
    n := n + 1;
  END LOOP;
  RETURN n;
END
$$;

-- SECURITY DEFINER, like the capture trigger: a role that may record commits
-- needs no privilege on this index of them.
CREATE FUNCTION vsg.commit_graph_trigger() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
  PERFORM vsg.commit_graph_add(NEW.seq, NEW.depth, NEW.parent, NEW.merge_parent);
  RETURN NULL;
END
$$;

DO $$
BEGIN
  PERFORM vsg.commit_graph_fill();
  -- Statistics of an empty table would tell the planner it stays empty.
  IF EXISTS (SELECT 1 FROM vsg.commit_graph) THEN
    ANALYZE vsg.commit_graph;
  END IF;
END
$$;

CREATE TRIGGER commit_graph AFTER INSERT ON vsg.commits FOR EACH ROW EXECUTE FUNCTION vsg.commit_graph_trigger();

-- The commits among cands (seqs) on the first-parent chain of commit start,
-- start included. Each candidate is checked by stepping down from start
-- along jump pointers to the candidate's depth: O(log depth) index lookups
-- per candidate, whatever lies between. In the walks below, each step reads
-- one graph row through a LATERAL ... LIMIT 1 (seq is the key, so the limit
-- never binds): it keeps the planner from hashing the whole graph table on
-- every step, which it otherwise does when its estimates are small.
CREATE FUNCTION vsg.first_parent_reach(start bigint, cands bigint[]) RETURNS SETOF bigint LANGUAGE sql STABLE
  SET enable_seqscan = off AS $$
  WITH RECURSIVE w(target, tdepth, cur, cdepth) AS (
    SELECT x.seq, x.depth, s.seq, s.depth
    FROM vsg.commit_graph s JOIN vsg.commit_graph x ON x.seq = ANY (cands) AND x.seq <= s.seq AND x.depth <= s.depth
    WHERE s.seq = start
    UNION ALL
    SELECT w.target, w.tdepth,
           CASE WHEN g.jump_depth >= w.tdepth THEN g.jump ELSE g.parent END,
           CASE WHEN g.jump_depth >= w.tdepth THEN g.jump_depth ELSE g.depth - 1 END
    FROM w CROSS JOIN LATERAL (SELECT * FROM vsg.commit_graph g WHERE g.seq = w.cur LIMIT 1) g
    WHERE w.cdepth > w.tdepth AND w.cur > w.target
  )
  SELECT target FROM w WHERE cdepth = tdepth AND cur = target
$$;

-- The first-parent ancestor of commit start at depth d (start itself at its
-- own depth), or nothing: O(log depth) lookups.
CREATE FUNCTION vsg.first_parent_at(start bigint, d int) RETURNS bigint LANGUAGE sql STABLE
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

-- The commits among cands (seqs) reachable from commit start over every
-- parent, start included. Candidates on start's first-parent chain are found
-- as above. The others can only be reached through a merge newer than them:
-- the merges reachable from start are listed through merge_at (one step per
-- merge, newest first, stopping below the oldest such candidate), and each
-- candidate is checked against the first-parent chain of each merge's second
-- parent. The cost follows the candidates and those merges, not the commits.
CREATE FUNCTION vsg.reachable(start bigint, cands bigint[]) RETURNS SETOF bigint LANGUAGE plpgsql STABLE
  SET enable_seqscan = off AS $$
DECLARE
  found bigint[];
  rest bigint[];
  lo bigint;
BEGIN
  found := ARRAY(SELECT vsg.first_parent_reach(start, cands));
  RETURN QUERY SELECT unnest(found);
  rest := ARRAY(SELECT x FROM unnest(cands) AS x WHERE x <> ALL (found) AND x < start);
  IF cardinality(rest) = 0 THEN
    RETURN;
  END IF;
  lo := (SELECT min(x) FROM unnest(rest) AS x);
  RETURN QUERY
  WITH RECURSIVE m(seq, parent, merge_parent) AS (
    SELECT g.seq, g.parent, g.merge_parent
    FROM vsg.commit_graph s JOIN vsg.commit_graph g ON g.seq = s.merge_at
    WHERE s.seq = start AND g.seq > lo
    UNION
    SELECT g.seq, g.parent, g.merge_parent
    FROM m CROSS JOIN LATERAL (VALUES (m.parent), (m.merge_parent)) AS e(seq)
    CROSS JOIN LATERAL (SELECT eg.merge_at FROM vsg.commit_graph eg WHERE eg.seq = e.seq LIMIT 1) eg
    CROSS JOIN LATERAL (SELECT * FROM vsg.commit_graph g WHERE g.seq = eg.merge_at LIMIT 1) g
    WHERE g.seq > lo
  )
  SELECT DISTINCT r
  FROM (SELECT DISTINCT m.merge_parent FROM m WHERE m.merge_parent >= lo) e
  CROSS JOIN LATERAL vsg.first_parent_reach(e.merge_parent, rest) AS r;
END
$$;

-- vsg.row_history (004) again, same result: the row's own changes through the
-- (table_id, key, seq) index, kept when their commit is reachable from HEAD
-- (vsg.reachable), so it costs that row's history, not the commit count.
CREATE OR REPLACE FUNCTION vsg.row_history(tbl regclass, key jsonb)
RETURNS TABLE (commit_id text, committed_at timestamptz, author text, kind text, message text, before jsonb, after jsonb)
LANGUAGE sql STABLE AS $$
  WITH k AS MATERIALIZED (
    SELECT vsg.tracked_id(tbl) AS tid, vsg.canonical_key(tbl, key) AS key
  ), hits AS MATERIALIZED (
    SELECT ch.commit_id, ch.seq, ch.before, ch.after FROM vsg.changes ch, k
    WHERE ch.table_id = k.tid AND ch.key = k.key
  ), head AS (
    SELECT c.seq FROM vsg.commits c
    WHERE c.id = (SELECT vsg.resolve_commit((SELECT tid FROM k), 'HEAD') WHERE EXISTS (SELECT 1 FROM hits))
  ), ok AS (
    SELECT vsg.reachable(head.seq, ARRAY(SELECT seq FROM hits)) AS seq FROM head
  )
  SELECT h.commit_id, c.committed_at, c.author, c.kind, c.message, h.before, h.after
  FROM hits h JOIN vsg.commits c ON c.id = h.commit_id
  WHERE h.seq IN (SELECT seq FROM ok)
  ORDER BY h.seq DESC
$$;
