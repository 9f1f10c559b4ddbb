-- Before `vsg forget` blanks the keys in pg_temp.vsg_forget of table tid:
-- unpack each chunk holding one of them, in every commit of the table whose
-- rows are packed (hash scheme 3: the root kept as a checkpoint, a large
-- INSERT kept as vsg.packed_<seq>) and still has chunks, in seq order. A
-- chunk's hash covers all its rows' values, so a value blanked in it could no
-- longer be checked, and its salt, kept, would let a guess at the value be
-- confirmed. So each such chunk is first checked against its stored hash (a
-- chunk that does not match is refused: nothing is changed), then its rows
-- become change rows of scheme 2 of their commit (vsg.changes, each with a
-- salt and its row hash, as sql/commit/root.sql makes them; a ROOT's marked
-- root, kept out of changes_key as its other rows are, any other commit's not,
-- so that changes_key and vsg.key_change_rows find them), leave the copy, and
-- the chunk keeps its hash, drops its salt and first key and gets its seal:
-- SHA-256 over 'vsg-seal-3', the chunk's hash and its rows' hashes in key
-- order (docs/integrity.md), which the FORGET entry's id covers
-- (sql/forget/record.sql). vsg.forget then blanks those change rows as it
-- blanks any. Each commit's salts come from a seed of its own drawn from
-- `seed` (a key may be in the rows of two of them).
-- Finding a chunk is a probe: the keys still packed, each one probe of the
-- copy's key index (vsg.root_rows_of); each one's chunk, the packed
-- chunk with the greatest first key not above it (vsg.root_chunks.first_key,
-- compared in the key columns' own types); the chunk's rows, read from its
-- first key through the same index. A first key is not vouched for by the
-- chunk's hash: a chunk read from a wrong one does not match its hash, and a
-- key that is not among the rows of the chunk its first keys led to (rows
-- that did match their hash) refuses the forget too. Nothing is unpacked but
-- a chunk holding a key to forget. Sequential scans are off: a copy is
-- read through its key index and its rows deleted by their row ids however
-- small it is, so that what a forget reads of it is the chunks it unpacks
-- (and JIT off: the costs that turns up would compile each statement).
-- Answers the name of each copy it unpacked any chunk of (forget vacuums them).
DROP FUNCTION IF EXISTS vsg.root_unpack(int, bytea);
CREATE OR REPLACE FUNCTION vsg.root_unpack(tid int, seed bytea) RETURNS SETOF text
LANGUAGE plpgsql VOLATILE
  SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
  SET extra_float_digits = 3 SET bytea_output = 'hex' SET client_encoding = 'UTF8'
  SET enable_seqscan = off SET jit = off
AS $$
DECLARE
  s bigint;
  root boolean;
  what text;
  rel regclass;
  keys text[];
  ord text;
  sends text;
  bytes text;
  bad int;
  img_before text;
  img_after text;
BEGIN
  -- (commits_packed: the table's commits of scheme 3; a pruned one has no chunks left)
  FOR s, root IN SELECT c.seq, c.kind = 'ROOT' FROM vsg.commits c
                 WHERE c.table_id = tid AND c.hash_scheme = 3 AND EXISTS (SELECT 1 FROM vsg.root_chunks rc WHERE rc.seq = c.seq)
                 ORDER BY c.seq LOOP
    what := CASE WHEN root THEN 'root commit' ELSE 'commit' END;
    SELECT x.rel, x.key_columns INTO rel, keys FROM vsg.root_source(s) x;
    CONTINUE WHEN rel IS NULL;
    DROP TABLE IF EXISTS pg_temp.vsg_unpack_keys;
    DROP TABLE IF EXISTS pg_temp.vsg_unpack;
    -- the keys to forget still packed, as the copy's images of them
    CREATE TEMP TABLE vsg_unpack_keys ON COMMIT DROP AS
      SELECT DISTINCT r.key, NULL::int AS chunk FROM vsg.root_rows_of(s, ARRAY(SELECT f.key FROM pg_temp.vsg_forget f)) r;
    IF NOT EXISTS (SELECT 1 FROM pg_temp.vsg_unpack_keys) THEN
      DROP TABLE pg_temp.vsg_unpack_keys;
      CONTINUE;
    END IF;
    ANALYZE pg_temp.vsg_unpack_keys;
    -- each key's chunk: the chunks still packed and the keys in one order, a chunk before a key equal to its
    -- first key; each key takes the last chunk before it
    BEGIN
      EXECUTE format('UPDATE pg_temp.vsg_unpack_keys u SET chunk = m.chunk
                      FROM (SELECT x.key, x.held, max(x.chunk) OVER (ORDER BY %s, x.held ROWS UNBOUNDED PRECEDING) AS chunk
                            FROM (SELECT rc.first_key AS key, rc.chunk, false AS held FROM vsg.root_chunks rc WHERE rc.seq = $1 AND rc.salt IS NOT NULL
                                  UNION ALL
                                  SELECT k.key, NULL, true FROM pg_temp.vsg_unpack_keys k) x) m
                      WHERE m.held AND m.key = u.key', vsg.root_key_typed(rel, keys, 'x.key'))
      USING s;
    EXCEPTION WHEN data_exception THEN
      RAISE EXCEPTION 'vsg: a first key of the chunks of % #% is no key of its rows', what, s
        USING ERRCODE = 'XX001', HINT = 'run vsg verify: history was changed outside vsg; nothing was forgotten';
    END;
    -- each such chunk's rows, from its first key, as many as it holds, through the copy's key index
    -- (all read before any is deleted)
    ord := vsg.root_key_order(rel, keys, 'r');
    SELECT x.sends, x.bytes INTO sends, bytes FROM vsg.root_bytes(rel) x;
    -- (a root's or an INSERT's rows are inserts; an UPDATE's or DELETE's have a before: vsg.packed_exprs)
    SELECT x.before, x.after INTO img_before, img_after FROM vsg.packed_exprs(rel, keys, 'r') x;
    CREATE TEMP TABLE vsg_unpack (chunk int, key jsonb, before jsonb, after jsonb, b bytea, t tid, salt bytea, row_hash bytea) ON COMMIT DROP;
    EXECUTE format('INSERT INTO pg_temp.vsg_unpack
                    SELECT c.chunk, i.key, i.before, i.after, %s, i.t, NULL, NULL
                    FROM (SELECT rc.chunk, rc.first_key, rc.rows FROM vsg.root_chunks rc
                          WHERE rc.seq = $1 AND rc.salt IS NOT NULL AND rc.chunk IN (SELECT u.chunk FROM pg_temp.vsg_unpack_keys u)) c
                    CROSS JOIN LATERAL (SELECT r.ctid AS t, %s AS key, %s AS before, %s AS after, %s FROM %s r
                                        WHERE ROW(%s) >= ROW(%s) ORDER BY %s LIMIT c.rows) i',
                   bytes, vsg.key_expr(keys, 'r'), img_before, img_after, sends, rel, ord, vsg.root_key_typed(rel, keys, 'c.first_key'), ord)
    USING s;
    ANALYZE pg_temp.vsg_unpack;
    -- each chunk against its hash, its rows in key order
    EXECUTE format('SELECT count(*) FROM (SELECT DISTINCT k.chunk FROM pg_temp.vsg_unpack_keys k) k
                    JOIN vsg.root_chunks rc ON rc.seq = $1 AND rc.chunk = k.chunk
                    LEFT JOIN (SELECT u.chunk, count(*) AS n, string_agg(u.b, ''''::bytea ORDER BY %s) AS b
                               FROM pg_temp.vsg_unpack u GROUP BY u.chunk) x ON x.chunk = k.chunk
                    WHERE x.n IS DISTINCT FROM rc.rows
                       OR sha256(''vsg-chunk-3''::bytea || rc.salt || int4send(rc.chunk) || x.b) IS DISTINCT FROM rc.hash',
                   vsg.root_key_typed(rel, keys, 'u.key'))
    INTO bad USING s;
    IF bad > 0 THEN
      RAISE EXCEPTION 'vsg: % chunk(s) of the rows of % #% do not match their hash', bad, what, s
        USING ERRCODE = 'XX001', HINT = 'run vsg verify: history was changed outside vsg; nothing was forgotten';
    END IF;
    -- every key among the rows of its chunk (rows that matched their hash): else a first key led elsewhere
    IF EXISTS (SELECT 1 FROM pg_temp.vsg_unpack_keys k
               WHERE NOT EXISTS (SELECT 1 FROM pg_temp.vsg_unpack u WHERE u.chunk = k.chunk AND u.key = k.key)) THEN
      RAISE EXCEPTION 'vsg: the first keys of the chunks of % #% do not lead to the chunks holding the keys', what, s
        USING ERRCODE = 'XX001', HINT = 'run vsg verify: history was changed outside vsg; nothing was forgotten';
    END IF;
    -- the rows, as change rows of scheme 2 of the commit (sql/commit/root.sql), each with its salt
    -- and row hash; the seal from the same hashes (vsg.changes is written, never read back)
    UPDATE pg_temp.vsg_unpack u SET salt = vsg.row_salt(sha256(seed || int8send(s)), u.key::text);
    UPDATE pg_temp.vsg_unpack u SET row_hash = vsg.row_hash(u.salt, tid, u.key, u.before, u.after);
    INSERT INTO vsg.changes (table_id, seq, key, before, after, salt, row_hash, root)
    SELECT tid, s, u.key, u.before, u.after, u.salt, u.row_hash, CASE WHEN root THEN true END FROM pg_temp.vsg_unpack u;
    UPDATE vsg.root_chunks rc
    SET salt = NULL,
        first_key = NULL,
        last_key = NULL,
        keys = x.keys,
        seal = sha256('vsg-seal-3'::bytea || rc.hash || x.hashes)
    FROM (SELECT u.chunk, jsonb_agg(u.key ORDER BY u.key::text COLLATE "C") AS keys,
                 string_agg(u.row_hash, ''::bytea ORDER BY u.key::text COLLATE "C") AS hashes
          FROM pg_temp.vsg_unpack u GROUP BY u.chunk) x
    WHERE rc.seq = s AND rc.chunk = x.chunk;
    -- by their row ids: a TID scan of those rows alone
    EXECUTE format('DELETE FROM %s r WHERE r.ctid = ANY ($1)', rel) USING ARRAY(SELECT u.t FROM pg_temp.vsg_unpack u);
    DROP TABLE pg_temp.vsg_unpack, pg_temp.vsg_unpack_keys;
    RETURN NEXT rel::text;
  END LOOP;
END
$$;
