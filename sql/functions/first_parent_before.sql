-- The newest commit made at or before t on the first-parent chain of commit
-- start (start itself included), or nothing: what `<ref>@{<date>}` names
-- (src/core/refs.ts). A commit's time is vsg.made_at's: a part of a commit
-- across tables counts as made when that commit was, so that a time never
-- falls between two parts of one. vsg stamps each commit with the server's
-- clock when it is made, after its parent was committed, so times only fall
-- along a chain, and the skip pointers of vsg.commit_graph find it without
-- reading every commit on the way, as vsg.first_parent_at does a depth: from a commit
-- made after t, go to its skip pointer when that one too was made after t,
-- else to its parent.
CREATE OR REPLACE FUNCTION vsg.first_parent_before(start bigint, t timestamptz) RETURNS bigint LANGUAGE sql STABLE
  SET enable_seqscan = off AS $$
  WITH RECURSIVE w(cur, done) AS (
    SELECT start, vsg.made_at(start) <= t
    UNION ALL
    SELECT n.seq, vsg.made_at(n.seq) <= t
    FROM w CROSS JOIN LATERAL (SELECT * FROM vsg.commit_graph g WHERE g.seq = w.cur LIMIT 1) g
    CROSS JOIN LATERAL (SELECT CASE WHEN g.jump <> g.seq AND vsg.made_at(g.jump) > t THEN g.jump ELSE g.parent END AS seq) n
    WHERE NOT w.done AND n.seq IS NOT NULL
  )
  SELECT cur FROM w WHERE done
$$;
