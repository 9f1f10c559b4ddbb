-- Before `vsg forget` blanks the keys in pg_temp.vsg_forget of table tid:
-- unpack each chunk of the table's root checkpoint (hash scheme 3) holding
-- one of them. A chunk's hash covers all its rows' values, so a value blanked
-- in it could no longer be checked, and its salt, kept, would let a guess at
-- the value be confirmed. So each such chunk is first checked against its
-- stored hash (a chunk that does not match is refused: nothing is changed),
-- then its rows become the root's change rows of scheme 2 (vsg.changes, marked
-- root, each with a salt from `seed` and its row hash, as sql/commit/root.sql
-- makes them), leave the checkpoint, and the chunk keeps its hash, drops its
-- salt and gets its seal: SHA-256 over 'vsg-seal-3', the chunk's hash and its
-- rows' hashes in key order (docs/integrity.md), which the FORGET entry's id
-- covers (sql/forget/record.sql). vsg.forget then blanks those change rows as
-- it blanks any. Finding the chunks reads the checkpoint's key columns once.
-- Answers the checkpoint's name when it unpacked any chunk (forget vacuums
-- it), else NULL.
CREATE OR REPLACE FUNCTION vsg.root_unpack(tid int, seed bytea) RETURNS text
LANGUAGE plpgsql VOLATILE
  SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
  SET extra_float_digits = 3 SET bytea_output = 'hex' SET client_encoding = 'UTF8'
AS $$
DECLARE
  s bigint;
  rel regclass;
  keys text[];
  ord text;
  sends text;
  bytes text;
  match text;
  ords int[];
  o int;
  bad int;
BEGIN
  SELECT c.seq INTO s FROM vsg.commits c WHERE c.table_id = tid AND c.kind = 'ROOT' ORDER BY c.seq LIMIT 1;
  SELECT x.rel, x.key_columns INTO rel, keys FROM vsg.root_source(s) x;
  IF rel IS NULL THEN
    RETURN NULL;
  END IF;
  ord := vsg.root_key_order(rel, keys, 'r');
  SELECT x.sends, x.bytes INTO sends, bytes FROM vsg.root_bytes(rel) x;
  SELECT string_agg(format('n.%I = (f.key->>%L)::%s', a.attname, a.attname, format_type(a.atttypid, a.atttypmod)), ' AND ')
  INTO match
  FROM unnest(keys) AS x(c) JOIN pg_catalog.pg_attribute a ON a.attrelid = rel AND a.attname = x.c AND NOT a.attisdropped;
  -- the runs of 1,024 rows (ords) holding a key to forget: one pass over the key columns
  BEGIN
    EXECUTE format('SELECT array_agg(DISTINCT ((n.rn - 1) / 1024)::int) FROM (SELECT row_number() OVER (ORDER BY %s) AS rn, %s FROM %s r) n
                    WHERE EXISTS (SELECT 1 FROM pg_temp.vsg_forget f WHERE %s)',
                   ord, (SELECT string_agg(format('r.%I', c), ', ') FROM unnest(keys) c), rel, match)
    INTO ords;
  EXCEPTION WHEN data_exception THEN
    -- a key the root's key columns cannot hold (their type changed since): none of its rows
    ords := NULL;
  END;
  IF ords IS NULL THEN
    RETURN NULL;
  END IF;
  DROP TABLE IF EXISTS pg_temp.vsg_unpack;
  CREATE TEMP TABLE vsg_unpack (ord int, chunk int, rn bigint, key jsonb, after jsonb, b bytea, tid_ tid, salt bytea, row_hash bytea) ON COMMIT DROP;
  -- each run's rows, by its position among the rows still packed (all read before any is deleted)
  FOREACH o IN ARRAY ords LOOP
    EXECUTE format('INSERT INTO pg_temp.vsg_unpack
                    SELECT $1, NULL, i.rn, i.key, i.after, %s, i.t, NULL, NULL
                    FROM (SELECT row_number() OVER (ORDER BY %s) + $1::bigint * 1024 AS rn, r.t, %s AS key, %s AS after, %s
                          FROM (SELECT r.ctid AS t, r.* FROM %s r ORDER BY %s OFFSET $1::bigint * 1024 LIMIT 1024) r) i',
                   bytes, ord, vsg.key_expr(keys, 'r'), vsg.image_expr(rel, 'r'), sends, rel, ord)
    USING o;
  END LOOP;
  -- each run stands for the packed chunk of the same position
  UPDATE pg_temp.vsg_unpack u SET chunk = p.chunk
  FROM (SELECT rc.chunk, (row_number() OVER (ORDER BY rc.chunk) - 1)::int AS ord
        FROM vsg.root_chunks rc WHERE rc.seq = s AND rc.salt IS NOT NULL) p
  WHERE p.ord = u.ord;
  SELECT count(*) INTO bad FROM (
    SELECT u.chunk FROM pg_temp.vsg_unpack u
    LEFT JOIN vsg.root_chunks rc ON rc.seq = s AND rc.chunk = u.chunk
    GROUP BY u.chunk, rc.salt, rc.hash, rc.rows
    HAVING rc.hash IS NULL OR count(*) <> rc.rows
        OR sha256('vsg-chunk-3'::bytea || rc.salt || int4send(u.chunk) || string_agg(u.b, ''::bytea ORDER BY u.rn)) <> rc.hash) x;
  IF bad > 0 THEN
    RAISE EXCEPTION 'vsg: % chunk(s) of the rows of root commit #% do not match their hash', bad, s
      USING ERRCODE = 'XX001', HINT = 'run vsg verify: history was changed outside vsg; nothing was forgotten';
  END IF;
  -- the rows, as the root's change rows of scheme 2 (sql/commit/root.sql), each with its salt
  -- and row hash; the seal from the same hashes (vsg.changes is written, never read back)
  UPDATE pg_temp.vsg_unpack u SET salt = vsg.row_salt(seed, u.key::text);
  UPDATE pg_temp.vsg_unpack u SET row_hash = vsg.row_hash(u.salt, tid, u.key, NULL, u.after);
  INSERT INTO vsg.changes (table_id, seq, key, before, after, salt, row_hash, root)
  SELECT tid, s, u.key, NULL, u.after, u.salt, u.row_hash, true FROM pg_temp.vsg_unpack u;
  UPDATE vsg.root_chunks rc
  SET salt = NULL,
      keys = x.keys,
      seal = sha256('vsg-seal-3'::bytea || rc.hash || x.hashes)
  FROM (SELECT u.chunk, jsonb_agg(u.key ORDER BY u.key::text COLLATE "C") AS keys,
               string_agg(u.row_hash, ''::bytea ORDER BY u.key::text COLLATE "C") AS hashes
        FROM pg_temp.vsg_unpack u GROUP BY u.chunk) x
  WHERE rc.seq = s AND rc.chunk = x.chunk;
  EXECUTE format('DELETE FROM %s r WHERE r.ctid IN (SELECT tid_ FROM pg_temp.vsg_unpack)', rel);
  DROP TABLE pg_temp.vsg_unpack;
  RETURN rel::text;
END
$$;
