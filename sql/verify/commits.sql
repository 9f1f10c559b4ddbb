-- Every commit recomputed from what is stored, set-based: one row per problem.
--   $1 table_id, or NULL for every table
-- A commit's change_hash is recomputed from its change rows exactly as
-- sql/commit/create.sql computes it, by the commit's hash scheme
-- (docs/integrity.md), and its id from its fields via vsg.commit_hash with the
-- STORED change_hash (so an edited change row of a scheme-1 commit shows as
-- 'change_hash', edited metadata as 'id'). Scheme 2 (row -> table -> commit): each row's hash is
-- recomputed from its salt and values and compared with its stored row_hash
-- ('row_hash'), and the change_hash is rebuilt from the STORED row hashes, so
-- a row whose values and salt were blanked (its row_hash kept) still verifies,
-- as does a row some of whose cells `vsg forget` blanked (forgotten set, salt gone).
-- Then the links: parents exist, belong to the same table, are older, depth
-- follows, only a ROOT lacks a parent.
-- A state commit (source set, docs/storage.md) has no change rows and no
-- counts; its change_hash hashes its source's id, which must be an older
-- commit of the same table.
-- A ROOT commit of hash scheme 3 keeps its rows in a checkpoint: its
-- change_hash is rebuilt from its STORED chunk hashes (vsg.root_chunks) and its
-- checkpoint's columns, its counts from its chunks' rows; each chunk is
-- recomputed from the checkpoint, and the rows `vsg forget` unpacked into
-- vsg.changes checked as any row of scheme 2 and against their chunk's seal,
-- by sql/verify/roots.sql.
-- A pruned commit (docs/prune.md) has no change rows and its author, message
-- and statement were blanked: its change_hash, id and counts are not
-- recomputed; the PRUNE entry's hash over the pruned ids vouches for them
-- (sql/verify/prunes.sql), and its links are checked as any commit's.
WITH c AS (
  SELECT c.*, pc.ins AS pc_ins, pc.upd AS pc_upd, pc.del AS pc_del, pc.sided AS pc_sided
  FROM vsg.commits c
  -- (asked of scheme 3 alone: the subquery's filter on c runs before the function)
  LEFT JOIN LATERAL (SELECT * FROM vsg.packed_counts(c.seq) WHERE c.hash_scheme = 3) pc ON true
  WHERE $1::int IS NULL OR c.table_id = $1::int
), x AS (
  -- One pass over the change rows (x and t are read once: not materialized).
  SELECT y.*, y.hash_scheme >= 2 AND (NOT y.blanked AND NOT y.sealed AND y.re_row_hash IS DISTINCT FROM y.row_hash
                                     OR octet_length(y.row_hash) IS DISTINCT FROM 32) AS bad_row
  FROM (SELECT z.*, CASE WHEN z.hash_scheme >= 2 AND NOT z.blanked AND NOT z.sealed
                         THEN vsg.row_hash(z.salt, z.table_id, z.key, z.before, z.after) END AS re_row_hash
        FROM (SELECT x.seq, x.table_id, x.key, x.before, x.after, x.salt, x.row_hash, c.hash_scheme,
                     x.table_id <> c.table_id AS misfiled,
                     -- kept out of changes_key as a root's row, in a commit that is no ROOT:
                     -- a key's history (vsg.key_changes) would not find it
                     x.root IS NOT NULL AND (x.root IS NOT TRUE OR c.kind <> 'ROOT') AS misrooted,
                     c.hash_scheme >= 2 AND x.salt IS NULL AND x.before IS NULL AND x.after IS NULL
                       AND x.row_hash IS NOT NULL AS blanked,
                     -- forgotten by `vsg forget` (docs/forget.md): images kept with some cells
                     -- blanked, salt gone; its row_hash cannot be recomputed, and is kept
                     c.hash_scheme >= 2 AND x.forgotten IS NOT NULL AND x.salt IS NULL AND x.row_hash IS NOT NULL AS sealed
              FROM vsg.changes x JOIN c ON c.seq = x.seq) z) y
), t AS (
  -- Per commit and table (scheme 2), or per commit (scheme 1).
  SELECT x.seq, min(x.hash_scheme) AS hash_scheme, CASE WHEN x.hash_scheme = 2 THEN x.table_id END AS table_id,
         -- scheme 2: the table's hash, from the STORED row hashes
         vsg.table_hash(string_agg(x.row_hash, ''::bytea ORDER BY x.key::text COLLATE "C") FILTER (WHERE x.hash_scheme = 2)) AS table_hash,
         -- scheme 1: the flat hash over every row's vsg.change_digest, in key order
         encode(sha256(string_agg(vsg.change_digest(x.key, x.before, x.after), ''::bytea
                                  ORDER BY x.key::text COLLATE "C") FILTER (WHERE x.hash_scheme = 1)), 'hex') AS change_hash1,
         count(*) FILTER (WHERE x.before IS NULL AND NOT x.blanked) AS ins,
         count(*) FILTER (WHERE x.before IS NOT NULL AND x.after IS NOT NULL) AS upd,
         count(*) FILTER (WHERE x.after IS NULL AND NOT x.blanked) AS del,
         count(*) FILTER (WHERE x.blanked) AS blanked,
         count(*) FILTER (WHERE x.before IS NULL AND x.after IS NULL AND NOT x.blanked) AS empty,
         bool_or(x.misfiled) AS misfiled, bool_or(x.misrooted) AS misrooted,
         -- the first row (in key order) whose hash does not match, as recomputed and as stored
         count(*) FILTER (WHERE x.bad_row) AS bad_rows,
         (array_agg(format('%s %s', x.key, coalesce(encode(x.re_row_hash, 'hex'), '(blanked: not recomputable)'))
                    ORDER BY x.key::text COLLATE "C") FILTER (WHERE x.bad_row))[1] AS bad_re,
         (array_agg(format('%s %s', x.key, coalesce(encode(x.row_hash, 'hex'), '(none)'))
                    ORDER BY x.key::text COLLATE "C") FILTER (WHERE x.bad_row))[1] AS bad_stored
  FROM x
  GROUP BY x.seq, CASE WHEN x.hash_scheme = 2 THEN x.table_id END
), ch AS (
  SELECT t.seq,
         CASE WHEN min(t.hash_scheme) = 2
              THEN vsg.change_set_hash(string_agg(vsg.table_entry(t.table_id, t.table_hash), ''::bytea ORDER BY t.table_id))
              ELSE min(t.change_hash1) END AS change_hash,
         sum(t.ins) AS ins, sum(t.upd) AS upd, sum(t.del) AS del, sum(t.blanked) AS blanked, sum(t.empty) AS empty,
         bool_or(t.misfiled) AS misfiled, bool_or(t.misrooted) AS misrooted, sum(t.bad_rows) AS bad_rows,
         (array_agg(t.bad_re ORDER BY t.table_id) FILTER (WHERE t.bad_rows > 0))[1] AS bad_re,
         (array_agg(t.bad_stored ORDER BY t.table_id) FILTER (WHERE t.bad_rows > 0))[1] AS bad_stored
  FROM t
  GROUP BY t.seq
), r AS (
  SELECT c.*,
         -- scheme 3: the root's checkpoint gone, nothing to hash (sql/verify/roots.sql says which)
         CASE WHEN c.hash_scheme = 3 THEN coalesce(vsg.change_set_hash(vsg.table_entry(c.table_id, vsg.table_hash3(
                                                     vsg.root_header(vsg.root_rel(c.seq)),
                                                     (SELECT string_agg(rc.hash, ''::bytea ORDER BY rc.chunk) FROM vsg.root_chunks rc WHERE rc.seq = c.seq)))), '')
              WHEN c.source IS NOT NULL AND ch.seq IS NULL THEN vsg.source_hash(c.source)
              WHEN ch.seq IS NOT NULL THEN ch.change_hash
              WHEN c.hash_scheme = 2 THEN vsg.change_set_hash(NULL)
              ELSE encode(sha256(''::bytea), 'hex') END AS re_change_hash,
         vsg.commit_hash(c.parent, c.merge_parent, c.table_id, c.kind, c.operation, c.author, c.message,
                         c.committed_at, c.statement, c.meta, c.change_hash) AS re_id,
         -- scheme 3: the rows kept packed (vsg.packed_counts: a root's or an INSERT's, every row an
         -- insert in its chunk, packed or unpacked; an UPDATE's or DELETE's by kind, with those unpacked)
         CASE WHEN c.hash_scheme = 3 THEN c.pc_ins + CASE WHEN c.pc_sided THEN coalesce(ch.ins, 0) ELSE 0 END
              ELSE coalesce(ch.ins, 0) END AS re_ins,
         coalesce(ch.upd, 0) + coalesce(c.pc_upd, 0) AS re_upd, coalesce(ch.del, 0) + coalesce(c.pc_del, 0) AS re_del,
         CASE WHEN c.hash_scheme = 3 THEN 0 ELSE coalesce(ch.blanked, 0) END AS blanked, coalesce(ch.empty, 0) AS empty,
         coalesce(ch.bad_rows, 0) AS bad_rows, ch.bad_re, ch.bad_stored, coalesce(ch.misfiled, false) AS misfiled,
         coalesce(ch.misrooted, false) AS misrooted,
         p.id AS p_id, p.table_id AS p_table, p.seq AS p_seq, p.depth AS p_depth,
         m.id AS m_id, m.table_id AS m_table, m.seq AS m_seq,
         s.id AS s_id, s.table_id AS s_table, s.seq AS s_seq, coalesce(s.sdepth, p.sdepth) AS up_sdepth,
         count(*) OVER (PARTITION BY c.branch_id, c.parent) AS siblings
  FROM c
  LEFT JOIN ch ON ch.seq = c.seq
  LEFT JOIN vsg.commits p ON p.id = c.parent
  LEFT JOIN vsg.commits m ON m.id = c.merge_parent
  LEFT JOIN vsg.commits s ON s.id = c.source
)
SELECT r.seq::text, r.id, r.table_id::text, x.code, x.expected, x.actual
FROM r
CROSS JOIN LATERAL (VALUES
  ('change_hash', r.re_change_hash, r.change_hash, r.re_change_hash <> r.change_hash AND r.pruned IS NULL),
  ('id', r.re_id, r.id, r.re_id IS DISTINCT FROM r.id AND r.pruned IS NULL),
  ('row_hash', r.bad_re, r.bad_stored || CASE WHEN r.bad_rows > 1 THEN format(' (and %s more rows)', r.bad_rows - 1) ELSE '' END,
   r.bad_rows > 0),
  -- A blanked row's kind is unknown: the known rows' counts fit within the
  -- stored ones, and all rows together make their sum.
  ('counts', format('%s/%s/%s', r.re_ins, r.re_upd, r.re_del) || CASE WHEN r.blanked > 0 THEN format(' +%s blanked', r.blanked) ELSE '' END,
   format('%s/%s/%s', r.inserted, r.updated, r.deleted),
   CASE WHEN r.pruned IS NOT NULL THEN false
        WHEN r.source IS NOT NULL THEN r.inserted IS NOT NULL OR r.updated IS NOT NULL OR r.deleted IS NOT NULL
        WHEN r.blanked = 0 THEN (r.re_ins, r.re_upd, r.re_del) IS DISTINCT FROM (r.inserted, r.updated, r.deleted)
        ELSE NOT (r.re_ins <= r.inserted AND r.re_upd <= r.updated AND r.re_del <= r.deleted
                  AND r.re_ins + r.re_upd + r.re_del + r.blanked = r.inserted + r.updated + r.deleted) END),
  ('empty_change', '0', r.empty::text, r.empty > 0),
  ('misfiled_change', NULL, NULL, r.misfiled),
  ('root_row', 'ROOT', r.kind, r.misrooted),
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
