-- The commits of hash scheme 3 in scope ($1 table id, or NULL for every
-- table), whose rows are a copy hashed by chunks (docs/integrity.md): a ROOT's
-- checkpoint, a large statement's vsg.packed_<seq>. One row per problem, shaped
-- as sql/verify/commits.sql's:
--   root_checkpoint  the copy is gone
--   chunk_hash       a chunk still packed does not recompute from the copy
--                    (its rows edited, added or removed), or the copy
--                    holds rows past its chunks; the first such chunk is shown
--   chunk_first_key  a chunk still packed whose rows match its hash, but whose
--                    stored first key (vsg.root_chunks.first_key, which the
--                    hash does not cover: vsg forget finds a key's chunk by it)
--                    is not its first row's key; the first such chunk is shown
--   chunk_last_key   the same of its stored last key (vsg.root_chunks.last_key,
--                    by which a key's history passes over a copy that cannot
--                    hold the key: vsg.packed_key_rows), where it has one (a
--                    chunk hashed before schema version 26 has none)
--   root_seal        a chunk `vsg forget` unpacked: its rows' stored hashes,
--                    with its hash, do not make its seal (a row of it deleted,
--                    added or its hash edited); each row's own hash is checked
--                    by commits.sql, the seals by the FORGET entries (forgets.sql)
--   root_unpacked    change rows of such a commit that no unpacked chunk names
-- A pruned commit is not checked: its chunks went with its rows.
WITH r AS (
  SELECT c.seq, c.id, c.table_id, vsg.root_rel(c.seq) AS rel, t.key_columns
  FROM vsg.commits c JOIN vsg.tracked t ON t.id = c.table_id
  WHERE c.hash_scheme = 3 AND c.pruned IS NULL AND ($1::int IS NULL OR c.table_id = $1::int)
), packed AS (
  SELECT rc.seq, rc.chunk, rc.rows, rc.hash, rc.first_key, rc.last_key, (row_number() OVER (PARTITION BY rc.seq ORDER BY rc.chunk) - 1)::int AS ord
  FROM vsg.root_chunks rc JOIN r ON r.seq = rc.seq
  WHERE rc.salt IS NOT NULL AND r.rel IS NOT NULL
), re AS (
  SELECT r.seq, h.ord, h.rows, h.hash, h.first_key, h.last_key
  FROM r CROSS JOIN LATERAL vsg.root_chunk_hashes(r.rel, r.key_columns, NULL, r.seq) h
  WHERE r.rel IS NOT NULL
), bad AS (
  SELECT coalesce(p.seq, re.seq) AS seq, count(*) AS n,
         (array_agg(format('chunk %s: %s rows, %s', coalesce(p.chunk::text, '(none)'), coalesce(re.rows, 0), coalesce(encode(re.hash, 'hex'), '(no rows)'))
                    ORDER BY coalesce(p.ord, re.ord)))[1] AS recomputed,
         (array_agg(format('chunk %s: %s rows, %s', coalesce(p.chunk::text, '(none)'), coalesce(p.rows, 0), coalesce(encode(p.hash, 'hex'), '(none)'))
                    ORDER BY coalesce(p.ord, re.ord)))[1] AS stored
  FROM packed p FULL JOIN re ON re.seq = p.seq AND re.ord = p.ord
  WHERE p.hash IS DISTINCT FROM re.hash OR p.rows IS DISTINCT FROM re.rows
  GROUP BY coalesce(p.seq, re.seq)
), firsts AS (
  SELECT p.seq, count(*) AS n,
         (array_agg(format('chunk %s: %s', p.chunk, re.first_key) ORDER BY p.ord))[1] AS recomputed,
         (array_agg(format('chunk %s: %s', p.chunk, coalesce(p.first_key::text, '(none)')) ORDER BY p.ord))[1] AS stored
  FROM packed p JOIN re ON re.seq = p.seq AND re.ord = p.ord
  WHERE p.hash = re.hash AND p.rows = re.rows AND p.first_key IS DISTINCT FROM re.first_key
  GROUP BY p.seq
), lasts AS (
  SELECT p.seq, count(*) AS n,
         (array_agg(format('chunk %s: %s', p.chunk, re.last_key) ORDER BY p.ord))[1] AS recomputed,
         (array_agg(format('chunk %s: %s', p.chunk, p.last_key) ORDER BY p.ord))[1] AS stored
  FROM packed p JOIN re ON re.seq = p.seq AND re.ord = p.ord
  WHERE p.hash = re.hash AND p.rows = re.rows AND p.last_key IS NOT NULL AND p.last_key IS DISTINCT FROM re.last_key
  GROUP BY p.seq
), seals AS (
  SELECT rc.seq, count(*) AS n,
         (array_agg(format('chunk %s: %s rows, %s', rc.chunk, x.n, encode(sha256('vsg-seal-3'::bytea || rc.hash || coalesce(x.hashes, ''::bytea)), 'hex'))
                    ORDER BY rc.chunk))[1] AS recomputed,
         (array_agg(format('chunk %s: %s rows, %s', rc.chunk, rc.rows, coalesce(encode(rc.seal, 'hex'), '(none)')) ORDER BY rc.chunk))[1] AS stored
  FROM vsg.root_chunks rc JOIN r ON r.seq = rc.seq
  CROSS JOIN LATERAL (SELECT string_agg(ch.row_hash, ''::bytea ORDER BY k.key::text COLLATE "C") AS hashes, count(ch.key) AS n
                      FROM jsonb_array_elements(rc.keys) AS k(key) LEFT JOIN vsg.changes ch ON ch.seq = rc.seq AND ch.key = k.key) x
  WHERE rc.salt IS NULL
    AND (rc.seal IS DISTINCT FROM sha256('vsg-seal-3'::bytea || rc.hash || coalesce(x.hashes, ''::bytea)) OR x.n <> rc.rows)
  GROUP BY rc.seq
), stray AS (
  SELECT ch.seq, count(*) AS n, (array_agg(ch.key::text ORDER BY ch.key::text COLLATE "C"))[1] AS first
  FROM vsg.changes ch JOIN r ON r.seq = ch.seq
  WHERE NOT EXISTS (SELECT 1 FROM vsg.root_chunks rc
                    WHERE rc.seq = ch.seq AND rc.salt IS NULL AND rc.keys @> jsonb_build_array(ch.key))
  GROUP BY ch.seq
)
SELECT r.seq::text, r.id, r.table_id::text, x.code, x.expected, x.actual
FROM r CROSS JOIN LATERAL (
  SELECT 'root_checkpoint', 'a checkpoint of its rows', '(none)' WHERE r.rel IS NULL
  UNION ALL
  SELECT 'chunk_hash', b.recomputed, b.stored || CASE WHEN b.n > 1 THEN format(' (and %s more chunks)', b.n - 1) ELSE '' END
  FROM bad b WHERE b.seq = r.seq
  UNION ALL
  SELECT 'chunk_first_key', f.recomputed, f.stored || CASE WHEN f.n > 1 THEN format(' (and %s more chunks)', f.n - 1) ELSE '' END
  FROM firsts f WHERE f.seq = r.seq
  UNION ALL
  SELECT 'chunk_last_key', l.recomputed, l.stored || CASE WHEN l.n > 1 THEN format(' (and %s more chunks)', l.n - 1) ELSE '' END
  FROM lasts l WHERE l.seq = r.seq
  UNION ALL
  SELECT 'root_seal', s.recomputed, s.stored || CASE WHEN s.n > 1 THEN format(' (and %s more chunks)', s.n - 1) ELSE '' END
  FROM seals s WHERE s.seq = r.seq
  UNION ALL
  SELECT 'root_unpacked', '0 rows', format('%s rows, the first %s', st.n, st.first) FROM stray st WHERE st.seq = r.seq
) AS x(code, expected, actual)
ORDER BY r.seq, x.code
