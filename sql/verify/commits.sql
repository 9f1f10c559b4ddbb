-- Every commit recomputed from what is stored, set-based: one row per problem.
--   $1 table_id, or NULL for every table
-- A commit's change_hash is recomputed from its change rows exactly as
-- sql/commit/create.sql computes it, and its id from its fields via
-- vsg.commit_hash with the STORED change_hash (so an edited change row shows
-- as 'change_hash', edited metadata as 'id'). Then the links: parents exist,
-- belong to the same table, are older, depth follows, only a ROOT lacks a parent.
-- A state commit (source set, docs/storage.md) has no change rows and no
-- counts; its change_hash hashes its source's id, which must be an older
-- commit of the same table.
WITH c AS (
  SELECT * FROM vsg.commits WHERE $1::int IS NULL OR table_id = $1::int
), ch AS (
  SELECT x.commit_id,
         encode(sha256(string_agg(vsg.change_digest(x.key, x.before, x.after), ''::bytea
                                  ORDER BY x.key::text COLLATE "C")), 'hex') AS change_hash,
         count(*) FILTER (WHERE x.before IS NULL) AS ins,
         count(*) FILTER (WHERE x.before IS NOT NULL AND x.after IS NOT NULL) AS upd,
         count(*) FILTER (WHERE x.after IS NULL) AS del,
         count(*) FILTER (WHERE x.before IS NULL AND x.after IS NULL) AS empty,
         bool_or(x.table_id <> c.table_id OR x.seq <> c.seq) AS misfiled
  FROM vsg.changes x JOIN c ON c.id = x.commit_id
  GROUP BY x.commit_id
), r AS (
  SELECT c.*,
         CASE WHEN c.source IS NULL THEN coalesce(ch.change_hash, encode(sha256(''::bytea), 'hex'))
              WHEN ch.commit_id IS NULL THEN vsg.source_hash(c.source)
              ELSE ch.change_hash END AS re_change_hash,
         vsg.commit_hash(c.parent, c.merge_parent, c.table_id, c.kind, c.operation, c.author, c.message,
                         c.committed_at, c.statement, c.meta, c.change_hash) AS re_id,
         coalesce(ch.ins, 0) AS re_ins, coalesce(ch.upd, 0) AS re_upd, coalesce(ch.del, 0) AS re_del,
         coalesce(ch.empty, 0) AS empty, coalesce(ch.misfiled, false) AS misfiled,
         p.id AS p_id, p.table_id AS p_table, p.seq AS p_seq, p.depth AS p_depth,
         m.id AS m_id, m.table_id AS m_table, m.seq AS m_seq,
         s.id AS s_id, s.table_id AS s_table, s.seq AS s_seq, coalesce(s.sdepth, p.sdepth) AS up_sdepth,
         count(*) OVER (PARTITION BY c.branch_id, c.parent) AS siblings
  FROM c
  LEFT JOIN ch ON ch.commit_id = c.id
  LEFT JOIN vsg.commits p ON p.id = c.parent
  LEFT JOIN vsg.commits m ON m.id = c.merge_parent
  LEFT JOIN vsg.commits s ON s.id = c.source
)
SELECT r.seq::text, r.id, r.table_id::text, x.code, x.expected, x.actual
FROM r
CROSS JOIN LATERAL (VALUES
  ('change_hash', r.re_change_hash, r.change_hash, r.re_change_hash <> r.change_hash),
  ('id', r.re_id, r.id, r.re_id IS DISTINCT FROM r.id),
  ('counts', format('%s/%s/%s', r.re_ins, r.re_upd, r.re_del), format('%s/%s/%s', r.inserted, r.updated, r.deleted),
   CASE WHEN r.source IS NULL THEN (r.re_ins, r.re_upd, r.re_del) IS DISTINCT FROM (r.inserted, r.updated, r.deleted)
        ELSE r.inserted IS NOT NULL OR r.updated IS NOT NULL OR r.deleted IS NOT NULL END),
  ('empty_change', '0', r.empty::text, r.empty > 0),
  ('misfiled_change', NULL, NULL, r.misfiled),
  ('missing_parent', r.parent, NULL, r.parent IS NOT NULL AND r.p_id IS NULL),
  ('missing_merge_parent', r.merge_parent, NULL, r.merge_parent IS NOT NULL AND r.m_id IS NULL),
  ('parent_table', r.table_id::text, r.p_table::text, r.p_table <> r.table_id),
  ('merge_parent_table', r.table_id::text, r.m_table::text, r.m_table <> r.table_id),
  ('parent_order', NULL, r.p_seq::text, r.p_seq >= r.seq OR r.m_seq >= r.seq),
  ('source_table', r.table_id::text, r.s_table::text, r.s_table <> r.table_id),
  ('source_order', NULL, r.s_seq::text, r.s_seq >= r.seq),
  ('sdepth', coalesce(r.up_sdepth + 1, 0)::text, r.sdepth::text, r.up_sdepth IS NOT NULL AND r.sdepth <> r.up_sdepth + 1
                                                                  OR coalesce(r.source, r.parent) IS NULL AND r.sdepth <> 0),
  ('root', NULL, r.kind, (r.kind = 'ROOT') <> (r.parent IS NULL)),
  ('depth', coalesce(r.p_depth + 1, 0)::text, r.depth::text, r.p_id IS NOT NULL AND r.depth <> r.p_depth + 1
                                                            OR r.parent IS NULL AND r.depth <> 0),
  ('fork', '1', r.siblings::text, r.branch_id IS NOT NULL AND r.parent IS NOT NULL AND r.siblings > 1)
) AS x(code, expected, actual, bad)
WHERE x.bad
ORDER BY r.seq, x.code
