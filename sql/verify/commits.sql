-- Every commit recomputed from what is stored, set-based: one row per problem.
--   $1 table_id, or NULL for every table
-- A commit's change_hash is recomputed from its change rows exactly as
-- sql/commit/create.sql computes it, by the commit's hash scheme
-- (docs/integrity.md), and its id from its fields via vsg.commit_hash with the
-- STORED change_hash (so an edited change row shows as 'change_hash', edited
-- metadata as 'id'). Scheme 2 (row -> table -> commit): each row's hash is
-- recomputed from its salt and values and compared with its stored row_hash
-- ('row_hash'), and the change_hash is rebuilt from the STORED row hashes, so
-- a row whose values and salt were blanked (its row_hash kept) still verifies.
-- Then the links: parents exist, belong to the same table, are older, depth
-- follows, only a ROOT lacks a parent.
-- A state commit (source set, docs/storage.md) has no change rows and no
-- counts; its change_hash hashes its source's id, which must be an older
-- commit of the same table.
WITH c AS (
  SELECT * FROM vsg.commits WHERE $1::int IS NULL OR table_id = $1::int
), x AS (
  SELECT x.*, c.hash_scheme, c.table_id AS c_table, c.seq AS c_seq,
         c.hash_scheme = 2 AND x.salt IS NULL AND x.before IS NULL AND x.after IS NULL AND x.row_hash IS NOT NULL AS blanked
  FROM vsg.changes x JOIN c ON c.id = x.commit_id
), xr AS (
  SELECT x.*, CASE WHEN x.hash_scheme = 2 AND NOT x.blanked THEN vsg.row_hash(x.salt, x.table_id, x.key, x.before, x.after) END AS re_row_hash
  FROM x
), xb AS (
  SELECT xr.*, xr.hash_scheme = 2 AND (NOT xr.blanked AND xr.re_row_hash IS DISTINCT FROM xr.row_hash
                                       OR octet_length(xr.row_hash) IS DISTINCT FROM 32) AS bad_row
  FROM xr
), bad AS (
  -- Each commit's first row (in key order) whose hash does not match, and how many do not.
  SELECT DISTINCT ON (commit_id) commit_id, key, re_row_hash, row_hash, count(*) OVER (PARTITION BY commit_id) AS n
  FROM xb WHERE bad_row
  ORDER BY commit_id, key::text COLLATE "C"
), th AS (
  -- Scheme 2: each table's hash, from the stored row hashes.
  SELECT commit_id, table_id, vsg.table_hash(string_agg(row_hash, ''::bytea ORDER BY key::text COLLATE "C")) AS hash
  FROM x WHERE hash_scheme = 2
  GROUP BY commit_id, table_id
), ch2 AS (
  SELECT commit_id, vsg.change_set_hash(string_agg(vsg.table_entry(table_id, hash), ''::bytea ORDER BY table_id)) AS change_hash
  FROM th GROUP BY commit_id
), ch AS (
  -- Scheme 1: the flat hash over every row's vsg.change_digest, in key order.
  SELECT x.commit_id,
         encode(sha256(string_agg(vsg.change_digest(x.key, x.before, x.after), ''::bytea
                                  ORDER BY x.key::text COLLATE "C") FILTER (WHERE x.hash_scheme = 1)), 'hex') AS change_hash1,
         count(*) FILTER (WHERE x.before IS NULL AND NOT x.blanked) AS ins,
         count(*) FILTER (WHERE x.before IS NOT NULL AND x.after IS NOT NULL) AS upd,
         count(*) FILTER (WHERE x.after IS NULL AND NOT x.blanked) AS del,
         count(*) FILTER (WHERE x.blanked) AS blanked,
         count(*) FILTER (WHERE x.before IS NULL AND x.after IS NULL AND NOT x.blanked) AS empty,
         bool_or(x.table_id <> x.c_table OR x.seq <> x.c_seq) AS misfiled
  FROM x
  GROUP BY x.commit_id
), r AS (
  SELECT c.*,
         CASE WHEN c.source IS NOT NULL AND ch.commit_id IS NULL THEN vsg.source_hash(c.source)
              WHEN c.hash_scheme = 2 THEN coalesce(ch2.change_hash, vsg.change_set_hash(NULL))
              ELSE coalesce(ch.change_hash1, encode(sha256(''::bytea), 'hex')) END AS re_change_hash,
         vsg.commit_hash(c.parent, c.merge_parent, c.table_id, c.kind, c.operation, c.author, c.message,
                         c.committed_at, c.statement, c.meta, c.change_hash) AS re_id,
         coalesce(ch.ins, 0) AS re_ins, coalesce(ch.upd, 0) AS re_upd, coalesce(ch.del, 0) AS re_del,
         coalesce(ch.blanked, 0) AS blanked, coalesce(ch.empty, 0) AS empty,
         b.key AS bad_key, b.re_row_hash AS bad_re, b.row_hash AS bad_stored, b.n AS bad_rows, coalesce(ch.misfiled, false) AS misfiled,
         p.id AS p_id, p.table_id AS p_table, p.seq AS p_seq, p.depth AS p_depth,
         m.id AS m_id, m.table_id AS m_table, m.seq AS m_seq,
         s.id AS s_id, s.table_id AS s_table, s.seq AS s_seq, coalesce(s.sdepth, p.sdepth) AS up_sdepth,
         count(*) OVER (PARTITION BY c.branch_id, c.parent) AS siblings
  FROM c
  LEFT JOIN ch ON ch.commit_id = c.id
  LEFT JOIN ch2 ON ch2.commit_id = c.id
  LEFT JOIN bad b ON b.commit_id = c.id
  LEFT JOIN vsg.commits p ON p.id = c.parent
  LEFT JOIN vsg.commits m ON m.id = c.merge_parent
  LEFT JOIN vsg.commits s ON s.id = c.source
)
SELECT r.seq::text, r.id, r.table_id::text, x.code, x.expected, x.actual
FROM r
CROSS JOIN LATERAL (VALUES
  ('change_hash', r.re_change_hash, r.change_hash, r.re_change_hash <> r.change_hash),
  ('id', r.re_id, r.id, r.re_id IS DISTINCT FROM r.id),
  ('row_hash', format('%s %s', r.bad_key, coalesce(encode(r.bad_re, 'hex'), '(blanked: not recomputable)')),
   format('%s %s', r.bad_key, coalesce(encode(r.bad_stored, 'hex'), '(none)'))
     || CASE WHEN r.bad_rows > 1 THEN format(' (and %s more rows)', r.bad_rows - 1) ELSE '' END,
   r.bad_rows IS NOT NULL),
  -- A blanked row's kind is unknown: the known rows' counts fit within the
  -- stored ones, and all rows together make their sum.
  ('counts', format('%s/%s/%s', r.re_ins, r.re_upd, r.re_del) || CASE WHEN r.blanked > 0 THEN format(' +%s blanked', r.blanked) ELSE '' END,
   format('%s/%s/%s', r.inserted, r.updated, r.deleted),
   CASE WHEN r.source IS NOT NULL THEN r.inserted IS NOT NULL OR r.updated IS NOT NULL OR r.deleted IS NOT NULL
        WHEN r.blanked = 0 THEN (r.re_ins, r.re_upd, r.re_del) IS DISTINCT FROM (r.inserted, r.updated, r.deleted)
        ELSE NOT (r.re_ins <= r.inserted AND r.re_upd <= r.updated AND r.re_del <= r.deleted
                  AND r.re_ins + r.re_upd + r.re_del + r.blanked = r.inserted + r.updated + r.deleted) END),
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
