-- The chunks of a root checkpoint `rel` (hash scheme 3, docs/integrity.md):
-- its rows in key order (vsg.root_key_order), numbered from 1; rows 1..1024
-- the first chunk, and so on. Each row's bytes as vsg.root_bytes makes them
-- (every column's binary send form, length-prefixed). A chunk's hash: SHA-256
-- over 'vsg-chunk-3', its salt (16 bytes), its number (int4) and its rows'
-- bytes in order.
-- Two uses. `vsg track` passes a seed (drawn for the root) and no seq: chunk
-- n is the n-th run of 1,024 rows, its salt made from the seed and n
-- (vsg.row_salt). `vsg verify` passes the root's seq: the checkpoint holds the
-- chunks still packed (a chunk that `vsg forget` unpacked left it whole,
-- sql/functions/root_unpack.sql), in order, each with its stored salt.
-- Answers per run of 1,024 rows (ord, from 0) the chunk it stands for (NULL
-- where the checkpoint holds more rows than packed chunks), its rows, hash,
-- first key and last key (the key images of its first and last rows, the
-- first as vsg.root_firsts gives it: not part of the hash; `vsg forget` finds
-- a key's chunk by the first keys, a key's history passes over a copy whose
-- keys cannot hold it by both, vsg.packed_key_rows), and in a copy of an
-- UPDATE's or DELETE's rows (a "vsg:op" column, vsg.packed_sided) how many of
-- the run's rows were inserted, updated and deleted (else NULL; a table of the
-- user's is never counted, whatever its columns are named): the commit
-- counts its rows by kind in the pass that hashes them (vsg.take_packed).
-- Binary send forms print the same whatever the session's settings of dates
-- and floats; the text ones depend only on client_encoding, set here (and the
-- first keys' on vsg's settings for text forms, set here as vsg.root_rows has them).
-- Two ways to read the runs, the same rows in the same order: where `rel` has
-- a btree index on the key in that order (the copy's own, sql/track/root_index.sql;
-- a table's primary key of columns that have no collation), each run by one
-- scan of the index from just past the last key of the run before (LIMIT
-- 1,024), in a recursive query that carries that key, hashes each run where it
-- is read and keeps only its hash (a run's rows' string_agg takes them in the
-- order the scan gives them: a sorted subquery under an aggregate with no join,
-- which PostgreSQL keeps in order; its own sort of each run cost 0.3-0.7 s of
-- 1.9-2.4 s for a 1M-row copy; a pass over the key for each run's first key
-- before it, 0.4-0.5 s); else one pass numbering every row, sorted by run. The
-- first needs no sort of the table (a 1M-row table: 1.1 s against 1.3 s).
-- (first_key was added by schema version 24, ins/upd/del after version 25,
-- last_key by version 26: the function of fewer columns goes first)
DROP FUNCTION IF EXISTS vsg.root_chunk_hashes(regclass, text[], bytea, bigint);
CREATE OR REPLACE FUNCTION vsg.root_chunk_hashes(rel regclass, key_columns text[], seed bytea, s bigint)
RETURNS TABLE (ord int, chunk int, rows int, salt bytea, hash bytea, first_key jsonb, last_key jsonb, ins int, upd int, del int)
LANGUAGE plpgsql STABLE SET client_encoding = 'UTF8'
  SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
  SET extra_float_digits = 3 SET bytea_output = 'hex'
AS $$
DECLARE
  sends text;
  bytes text;
  indexed boolean;
  kc record;
  ka record;
  kz record;
  firsts text;
  lasts text;
  lasts_as text;
  after text;
  chunks int[];
  salts bytea[];
  op text := '';
  kinds text := 'NULL::int AS ins, NULL::int AS upd, NULL::int AS del';
  -- a run's chunk number and salt (%1$s: its ord) and hash (%1$s: chunk, %2$s: salt, %3$s: its bytes):
  -- the run's own (track) or, in order, the stored ones' (verify), passed in as arrays
  chunk_of CONSTANT text := 'CASE WHEN $2::bigint IS NULL THEN %1$s ELSE ($5::int[])[%1$s + 1] END';
  salt_of CONSTANT text := 'CASE WHEN $2::bigint IS NULL THEN vsg.row_salt($1, (%1$s)::text) ELSE ($6::bytea[])[%1$s + 1] END';
  hash_of CONSTANT text := 'sha256(''vsg-chunk-3''::bytea || %2$s || int4send(%1$s) || %3$s)';
  start text;
  run_ord text;
  runs text[] := '{}';
BEGIN
  SELECT x.sends, x.bytes INTO sends, bytes FROM vsg.root_bytes(rel) x;
  SELECT x.cols, x.image INTO kc FROM vsg.root_key_columns(rel, key_columns, 'i') x;
  -- an index in the runs' order: each key column in turn, plain, ascending, in "C" where it has a collation
  SELECT EXISTS (
    SELECT 1 FROM pg_catalog.pg_index i
    JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid JOIN pg_catalog.pg_am am ON am.oid = ic.relam
    WHERE i.indrelid = rel AND i.indisvalid AND am.amname = 'btree' AND i.indexprs IS NULL AND i.indpred IS NULL
      AND i.indnkeyatts >= cardinality(key_columns)
      AND NOT EXISTS (
        SELECT 1 FROM unnest(key_columns) WITH ORDINALITY AS k(c, n)
        LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = rel AND a.attname = k.c AND NOT a.attisdropped
        WHERE a.attnum IS DISTINCT FROM i.indkey[k.n - 1] OR i.indoption[k.n - 1] <> 0
           OR i.indcollation[k.n - 1] <> CASE WHEN a.attcollation <> 0 THEN 'pg_catalog."C"'::regcollation::oid ELSE 0 END))
  INTO indexed;
  IF vsg.packed_sided(rel) AND (SELECT c.relnamespace = 'vsg'::regnamespace FROM pg_catalog.pg_class c WHERE c.oid = rel) THEN
    op := ', r."vsg:op"';
    kinds := $k$count(*) FILTER (WHERE "vsg:op" = 'I')::int AS ins, count(*) FILTER (WHERE "vsg:op" = 'U')::int AS upd,
               count(*) FILTER (WHERE "vsg:op" = 'D')::int AS del$k$;
  END IF;
  IF s IS NOT NULL THEN
    SELECT array_agg(rc.chunk ORDER BY rc.chunk), array_agg(rc.salt ORDER BY rc.chunk) INTO chunks, salts
    FROM vsg.root_chunks rc WHERE rc.seq = s AND rc.salt IS NOT NULL;
  END IF;
  IF indexed THEN
    -- each key column of a run's first row (k_<n>, its image the chunk's first
    -- key) and last (l_<n>, where the next run starts after)
    SELECT string_agg(format('(array_agg(i.k_%1$s))[1] AS k_%1$s, (array_agg(i.k_%1$s))[count(*)] AS l_%1$s', k.n), ', ' ORDER BY k.n),
           string_agg(format('a.l_%s', k.n), ', ' ORDER BY k.n), string_agg(format('w.l_%s', k.n), ', ' ORDER BY k.n),
           string_agg(format('a.l_%1$s AS k_%1$s', k.n), ', ' ORDER BY k.n)
      INTO firsts, lasts, after, lasts_as
    FROM generate_series(1, cardinality(key_columns)) AS k(n);
    -- the first key's image over the run's first row's key columns, the last's over its last row's
    SELECT x.image INTO ka FROM vsg.root_key_columns(rel, key_columns, 'a') x;
    SELECT x.image INTO kz FROM vsg.root_key_columns(rel, key_columns, 'z') x;
    -- the first run, and each next one from just past the last key of the one before
    FOREACH start IN ARRAY ARRAY['true', format('ROW(%s) > ROW(%s)', vsg.root_key_order(rel, key_columns, 'r'), after)] LOOP
      run_ord := CASE WHEN runs = '{}' THEN '0' ELSE '(w.ord + 1)' END;
      runs := runs || format($r$
        SELECT a.rows, c.chunk, c.salt, %1$s AS hash, %2$s AS first_key, (SELECT %15$s FROM (SELECT %16$s) z) AS last_key,
               a.ins, a.upd, a.del, %3$s
        FROM (SELECT count(*)::int AS rows, string_agg(%4$s, ''::bytea) AS b, %5$s, %6$s
              FROM (SELECT %7$s, %8$s%9$s FROM %10$s r WHERE %11$s ORDER BY %12$s LIMIT 1024) i) a
        CROSS JOIN LATERAL (SELECT %13$s AS chunk, %14$s AS salt) c
      $r$, format(hash_of, 'c.chunk', 'c.salt', 'a.b'), ka.image, lasts, bytes, kinds, firsts, sends, kc.cols, op, rel,
           start, vsg.root_key_order(rel, key_columns, 'r'),
           format(chunk_of, run_ord), format(salt_of, run_ord), kz.image, lasts_as);
    END LOOP;
    RETURN QUERY EXECUTE format($q$
      WITH RECURSIVE w AS (
        SELECT 0 AS ord, x.* FROM (%s) x
        UNION ALL
        SELECT w.ord + 1, x.* FROM w CROSS JOIN LATERAL (%s) x WHERE w.rows = 1024
      )
      SELECT w.ord, w.chunk, w.rows, w.salt, w.hash, w.first_key, w.last_key, w.ins, w.upd, w.del FROM w WHERE w.rows > 0
    $q$, runs[1], runs[2])
    USING seed, s, rel, key_columns, chunks, salts;
    RETURN;
  END IF;
  -- Each run is hashed as it comes out (its bytes, about 150 kB for 1,024 rows
  -- of a large UPDATE's copy, never held beside the others').
  RETURN QUERY EXECUTE format($q$
    SELECT g.ord, c.chunk, g.rows, c.salt, %s, g.first_key, g.last_key, g.ins, g.upd, g.del
    FROM (SELECT o.ord, count(*)::int AS rows, string_agg(o.b, ''::bytea ORDER BY o.rn) AS b,
                 (array_agg(o.first_key) FILTER (WHERE o.first_key IS NOT NULL))[1] AS first_key,
                 (array_agg(o.last_key) FILTER (WHERE o.last_key IS NOT NULL))[1] AS last_key, %s
          FROM (SELECT i.rn, ((i.rn - 1) / 1024)::int AS ord, %s AS b,
                       CASE WHEN (i.rn - 1) %% 1024 = 0 THEN %s END AS first_key,
                       CASE WHEN i.rn %% 1024 = 0 OR i.last THEN %s END AS last_key%s
                FROM (SELECT row_number() OVER w AS rn, lead(false, 1, true) OVER w AS last, %s, %s%s FROM %s r
                      WINDOW w AS (ORDER BY %s)) i) o
          GROUP BY o.ord) g
    CROSS JOIN LATERAL (SELECT %s AS chunk, %s AS salt) c
  $q$, format(hash_of, 'c.chunk', 'c.salt', 'g.b'), kinds, bytes, kc.image, kc.image, replace(op, 'r.', 'i.'),
       sends, kc.cols, op, rel, vsg.root_key_order(rel, key_columns, 'r'), format(chunk_of, 'g.ord'), format(salt_of, 'g.ord'))
  USING seed, s, rel, key_columns, chunks, salts;
END
$$;
