-- The statement of sql/history/walk_back.sql (what it gives is said there), as a
-- function so that it is planned with sequential scans off, as the walks of
-- vsg.merge_bases and vsg.first_parent_reach are. Each read of vsg.commits
-- there is a probe by key (LATERAL ... LIMIT 1), which statistics saying the
-- table is small, or a plan a session kept from when it was, made a scan of
-- every commit (at every step of a walk); a statement cannot turn the scans
-- off for itself, a function can. Not inlined (the SET), so planned at each
-- call, with its arguments as parameters ($1 ... in the body). JIT is off:
-- a scan left with no index to use (a small table's) costs the planner's
-- penalty for a disabled scan, which would have the plan compiled (0.6 s).
CREATE OR REPLACE FUNCTION vsg.walk_back(p_tips text[], p_n int, p_bound bigint)
RETURNS TABLE (entry text, seq text, parts text, merges text, states text) LANGUAGE sql STABLE
  SET enable_seqscan = off SET jit = off AS $$
WITH RECURSIVE w AS (
  SELECT c.id, c.table_id, c.parent, c.seq, (c.seq <= coalesce($3::bigint, c.seq))::int AS k
  FROM (SELECT DISTINCT s.id FROM unnest($1::text[]) AS s(id)) s
  CROSS JOIN LATERAL (SELECT c.id, c.table_id, c.parent, c.seq FROM vsg.commits c WHERE c.id = s.id LIMIT 1) c
  UNION ALL
  SELECT p.id, p.table_id, p.parent, p.seq, w.k + (p.seq <= coalesce($3::bigint, p.seq))::int
  FROM w CROSS JOIN LATERAL (SELECT p.id, p.table_id, p.parent, p.seq FROM vsg.commits p WHERE p.id = w.parent LIMIT 1) p
  WHERE w.k <= $2::int
),
e AS (
  SELECT coalesce(sp.id, w.id) AS entry, max(w.seq) AS seq
  FROM w LEFT JOIN vsg.commit_parts sp ON sp.part = w.id
  WHERE w.k > 0
  GROUP BY 1
),
target AS (SELECT entry, seq FROM e ORDER BY seq DESC OFFSET $2::int LIMIT 1),
parts AS (
  SELECT coalesce(array_agg(p.part ORDER BY p.table_id) FILTER (WHERE p.part IS NOT NULL), ARRAY[t.entry]) AS parts
  FROM target t LEFT JOIN vsg.commit_parts p ON p.id = t.entry
  GROUP BY t.entry
)
SELECT t.entry, t.seq::text, array_to_json(x.parts)::text AS parts,
       (SELECT coalesce(json_agg(json_build_object('table', c.table_id, 'id', c.merge_parent, 'seq', m.seq::text)), '[]')::text
        FROM unnest(x.parts) AS pt(id)
        CROSS JOIN LATERAL (SELECT c.table_id, c.merge_parent FROM vsg.commits c WHERE c.id = pt.id LIMIT 1) c
        CROSS JOIN LATERAL (SELECT m.seq FROM vsg.commits m WHERE m.id = c.merge_parent LIMIT 1) m) AS merges,
       (SELECT coalesce(json_object_agg(s.table_id, s.id), '{}')::text FROM (
          SELECT DISTINCT ON (w.table_id) w.table_id, w.id FROM w WHERE w.seq <= t.seq ORDER BY w.table_id, w.seq DESC
        ) s) AS states
FROM target t CROSS JOIN parts x
$$;
