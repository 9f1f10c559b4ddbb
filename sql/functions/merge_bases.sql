-- The best common ancestors of commits a and b over every parent (first and
-- merge parents): common ancestors that are not an ancestor of another common
-- ancestor, with their seq. One row for an ordinary history, several for a
-- criss-cross, none for unrelated commits (sql/merge/bases.sql orders them).
--
-- Git's paint-down-to-common, in an order Git can only approximate: a parent
-- always has a smaller seq than its child, so taking the reached commits
-- greatest seq first visits every commit after all of its reached children,
-- with its flags (reached from a, from b, stale) final. A commit reached from
-- both sides is a best base unless a common descendant already marked it
-- stale; it then marks its own ancestors stale. The walk stops when every
-- commit still queued is stale, so it reads the commits between the tips and
-- their bases, not the history below them. Taken in that order, no base found
-- is an ancestor of another (a path from one to the other would have carried
-- the stale mark down first), so Git's reachability check among candidates
-- has nothing to remove here.
--
-- The queue lives in arrays: it holds the walk's frontier (a few commits a
-- branch), and a commit leaves it for good when taken (nothing taken later
-- can be its descendant). A commit is read by key when reached; a run of
-- one-parent commits above everything queued is read in one statement (a
-- long first-parent stretch costs what the plain recursive walk did, not a
-- PL/pgSQL step a commit). Sequential scans are off: with statistics that
-- say vsg.commits is small, a lookup by key was planned as a scan of every
-- commit.
CREATE OR REPLACE FUNCTION vsg.merge_bases(a text, b text) RETURNS TABLE (id text, seq bigint) LANGUAGE plpgsql STABLE
  SET enable_seqscan = off AS $$
DECLARE
  -- flags: 1 reached from a, 2 reached from b, 4 stale
  q_id text[] := '{}';
  q_seq bigint[] := '{}';
  q_parent text[] := '{}';
  q_merge text[] := '{}';
  q_flags int[] := '{}';
  live int := 0;          -- queued commits not stale
  n int;
  i int;
  j int;
  f int;
  c_id text;
  c_seq bigint;
  c_parent text;
  c_merge text;
  p text;
  p_seq bigint;
  p_parent text;
  p_merge text;
  lo bigint;              -- the greatest seq queued after the one taken
  r record;
BEGIN
  FOR r IN SELECT c.id AS cid, c.seq AS cseq, c.parent AS cparent, c.merge_parent AS cmerge
           FROM vsg.commits c WHERE c.id = ANY (ARRAY[a, b]) LOOP
    q_id := array_append(q_id, r.cid);
    q_seq := array_append(q_seq, r.cseq);
    q_parent := array_append(q_parent, r.cparent);
    q_merge := array_append(q_merge, r.cmerge);
    q_flags := array_append(q_flags, ((CASE WHEN r.cid = a THEN 1 ELSE 0 END) | (CASE WHEN r.cid = b THEN 2 ELSE 0 END)));
    live := live + 1;
  END LOOP;
  WHILE live > 0 LOOP
    -- take the greatest seq, moving the last entry into its place
    n := cardinality(q_seq);
    i := 1;
    lo := -1;
    FOR j IN 2..n LOOP
      IF q_seq[j] > q_seq[i] THEN
        lo := q_seq[i];
        i := j;
      ELSIF q_seq[j] > lo THEN
        lo := q_seq[j];
      END IF;
    END LOOP;
    c_id := q_id[i];
    c_seq := q_seq[i];
    c_parent := q_parent[i];
    c_merge := q_merge[i];
    f := q_flags[i];
    q_id[i] := q_id[n];
    q_seq[i] := q_seq[n];
    q_parent[i] := q_parent[n];
    q_merge[i] := q_merge[n];
    q_flags[i] := q_flags[n];
    q_id := q_id[1:n - 1];
    q_seq := q_seq[1:n - 1];
    q_parent := q_parent[1:n - 1];
    q_merge := q_merge[1:n - 1];
    q_flags := q_flags[1:n - 1];
    IF f & 4 = 0 THEN
      live := live - 1;
    END IF;
    IF f = 3 THEN
      id := c_id;
      seq := c_seq;
      RETURN NEXT;
      f := 7;
    END IF;
    -- nothing live is left to cut off: the stale parents need no reading
    EXIT WHEN live = 0 AND f & 4 <> 0;
    FOREACH p IN ARRAY ARRAY[c_parent, c_merge] LOOP
      CONTINUE WHEN p IS NULL;
      j := array_position(q_id, p);
      IF j IS NULL AND c_merge IS NULL THEN
        -- The only parent, not queued. Its first parents above every queued
        -- commit (seq > lo), each with one parent, would each be taken next
        -- and only pass f on (no other commit can reach them now): step over
        -- them in one statement to the first that is not such a commit.
        WITH RECURSIVE w(w_id, w_seq, w_parent, w_merge, w_n) AS (
          SELECT c.id, c.seq, c.parent, c.merge_parent, 0 FROM vsg.commits c WHERE c.id = p
          UNION ALL
          SELECT c.id, c.seq, c.parent, c.merge_parent, w.w_n + 1
          FROM w CROSS JOIN LATERAL (SELECT c.id, c.seq, c.parent, c.merge_parent FROM vsg.commits c WHERE c.id = w.w_parent LIMIT 1) c
          WHERE w.w_seq > lo AND w.w_merge IS NULL
        )
        SELECT w.w_id, w.w_seq, w.w_parent, w.w_merge INTO p, p_seq, p_parent, p_merge FROM w ORDER BY w.w_n DESC LIMIT 1;
        j := array_position(q_id, p);
      ELSIF j IS NULL THEN
        SELECT c.seq, c.parent, c.merge_parent INTO p_seq, p_parent, p_merge FROM vsg.commits c WHERE c.id = p;
      END IF;
      IF j IS NULL THEN
        q_id := array_append(q_id, p);
        q_seq := array_append(q_seq, p_seq);
        q_parent := array_append(q_parent, p_parent);
        q_merge := array_append(q_merge, p_merge);
        q_flags := array_append(q_flags, f);
        IF f & 4 = 0 THEN
          live := live + 1;
        END IF;
      ELSIF q_flags[j] | f <> q_flags[j] THEN
        IF q_flags[j] & 4 = 0 AND f & 4 <> 0 THEN
          live := live - 1;
        END IF;
        q_flags[j] := q_flags[j] | f;
      END IF;
    END LOOP;
  END LOOP;
END
$$;
