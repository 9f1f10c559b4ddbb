-- Append a FORGET entry to the chain: $1 table id, $2 author, $3 message,
-- $4 columns (NULL: whole rows), $5 keys, $6 change rows, $7 cells, $8 the --live commit.
-- The chunks of the table's commits kept packed (hash scheme 3) that this
-- forget unpacked (vsg.root_unpack: sealed, no entry yet) are sealed into it:
-- its seal is SHA-256 over 'vsg-seals-3' and each chunk's part
-- (vsg.seal_part), by commit seq, then chunk, and its id covers it
-- (vsg.forget_id); the chunks then name the entry.
WITH k AS MATERIALIZED (
  SELECT rc.seq, rc.chunk, vsg.seal_part(c.kind = 'ROOT', c.id, rc.chunk, rc.seal) AS part
  FROM vsg.commits c JOIN vsg.root_chunks rc ON rc.seq = c.seq
  WHERE c.table_id = $1::int AND c.hash_scheme = 3 AND rc.seal IS NOT NULL AND rc.forget_seq IS NULL
), p AS (
  SELECT (SELECT id FROM vsg.forgets ORDER BY seq DESC LIMIT 1) AS prev, clock_timestamp() AS at,
         (SELECT sha256('vsg-seals-3'::bytea || string_agg(k.part, ''::bytea ORDER BY k.seq, k.chunk)) FROM k
          HAVING count(*) > 0) AS seal
), e AS (
  INSERT INTO vsg.forgets (id, prev, table_id, author, message, at, columns, keys, rows, cells, live, seal)
  SELECT vsg.forget_id(p.prev, $1::int, $2::text, $3::text, p.at, $4::text[], $5::bigint, $6::bigint, $7::bigint, $8::text, p.seal),
         p.prev, $1::int, $2::text, $3::text, p.at, $4::text[], $5::bigint, $6::bigint, $7::bigint, $8::text, p.seal
  FROM p
  RETURNING seq, id, at
), u AS (
  UPDATE vsg.root_chunks rc SET forget_seq = e.seq FROM e, k
  WHERE rc.seq = k.seq AND rc.chunk = k.chunk
)
SELECT e.seq::text, e.id, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at FROM e
