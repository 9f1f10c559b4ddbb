-- The repository's commit $2 first-parent steps back from the state whose
-- tables stand at the commits $1 (one per table), counting only commits at
-- or below seq $3 (NULL: no bound; ^2 sets it to the merged branch's tip):
-- each table's first-parent chain is walked, the commits of one transaction
-- across tables (vsg.commit_parts) are one entry, and the entries are read
-- newest first. Returns the entry (a commit across tables, or a commit of
-- one table), its seq, its parts, the merge parents of its parts, and every
-- table's commit at that point (the newest of its chain not newer than the
-- entry; none for a table tracked later). No row: history ends before that.
-- Each chain is walked at most $2 + 1 steps below the bound: a table's
-- commits above the entry are entries above it, of which there are $2.
-- Every read of vsg.commits is one probe by key (LATERAL ... LIMIT 1; the
-- key is unique, so the limit never binds): a join there was planned, with
-- statistics that say the table is small or in a generic plan, as a scan of
-- every commit at each step of the walk.
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
