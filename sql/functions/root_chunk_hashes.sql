-- The chunks of a root checkpoint `rel` (hash scheme 3, docs/integrity.md):
-- its rows in key order (vsg.root_key_order), numbered from 1; rows 1..1024
-- the first chunk, and so on. Each row's bytes as vsg.root_bytes makes them
-- (every column's binary send form, length-prefixed). A chunk's hash: SHA-256 over 'vsg-chunk-3', its salt (16
-- bytes), its number (int4) and its rows' bytes in order.
-- Two uses. `vsg track` passes a seed (vsg.statement_seed) and no seq: chunk
-- n is the n-th run of 1,024 rows, its salt made from the seed and n
-- (vsg.row_salt). `vsg verify` passes the root's seq: the checkpoint holds the
-- chunks still packed (a chunk that `vsg forget` unpacked left it whole,
-- sql/functions/root_unpack.sql), in order, each with its stored salt.
-- Answers per run of 1,024 rows (ord, from 0) the chunk it stands for (NULL
-- where the checkpoint holds more rows than packed chunks), its rows and hash.
-- Binary send forms print the same whatever the session's settings of dates
-- and floats; the text ones depend only on client_encoding, set here.
CREATE OR REPLACE FUNCTION vsg.root_chunk_hashes(rel regclass, key_columns text[], seed bytea, s bigint)
RETURNS TABLE (ord int, chunk int, rows int, salt bytea, hash bytea)
LANGUAGE plpgsql STABLE SET client_encoding = 'UTF8' AS $$
DECLARE
  sends text;
  bytes text;
BEGIN
  SELECT x.sends, x.bytes INTO sends, bytes FROM vsg.root_bytes(rel) x;
  RETURN QUERY EXECUTE format($q$
    WITH g AS (
      SELECT o.ord, count(*)::int AS rows, string_agg(o.b, ''::bytea ORDER BY o.rn) AS b
      FROM (SELECT i.rn, ((i.rn - 1) / 1024)::int AS ord, %s AS b
            FROM (SELECT row_number() OVER (ORDER BY %s) AS rn, %s FROM %s r) i) o
      GROUP BY o.ord
    ), c AS (
      SELECT g.ord, g.ord AS chunk, vsg.row_salt($1, g.ord::text) AS salt FROM g WHERE $2::bigint IS NULL
      UNION ALL
      SELECT (row_number() OVER (ORDER BY rc.chunk) - 1)::int, rc.chunk, rc.salt
      FROM vsg.root_chunks rc WHERE rc.seq = $2 AND rc.salt IS NOT NULL
    )
    SELECT g.ord, c.chunk, g.rows, c.salt,
           sha256('vsg-chunk-3'::bytea || c.salt || int4send(c.chunk) || g.b)
    FROM g LEFT JOIN c ON c.ord = g.ord
  $q$, bytes, vsg.root_key_order(rel, key_columns, 'r'), sends, rel) USING seed, s;
END
$$;
