-- Append a FORGET entry to the chain: $1 table id, $2 author, $3 message,
-- $4 columns (NULL: whole rows), $5 keys, $6 change rows, $7 cells, $8 the --live commit.
-- The chunks of the table's root this forget unpacked (vsg.root_unpack: sealed,
-- no entry yet) are sealed into it: its seal is SHA-256 over 'vsg-seals-3' and
-- each chunk's number (int4) and seal, in chunk order, and its id covers it
-- (vsg.forget_id); the chunks then name the entry.
WITH p AS (
  SELECT (SELECT id FROM vsg.forgets ORDER BY seq DESC LIMIT 1) AS prev, clock_timestamp() AS at,
         (SELECT sha256('vsg-seals-3'::bytea || string_agg(int4send(rc.chunk) || rc.seal, ''::bytea ORDER BY rc.chunk))
          FROM vsg.root_chunks rc
          WHERE rc.seq = (SELECT c.seq FROM vsg.commits c WHERE c.table_id = $1::int AND c.kind = 'ROOT' ORDER BY c.seq LIMIT 1)
            AND rc.seal IS NOT NULL AND rc.forget_seq IS NULL
          HAVING count(*) > 0) AS seal
), e AS (
  INSERT INTO vsg.forgets (id, prev, table_id, author, message, at, columns, keys, rows, cells, live, seal)
  SELECT vsg.forget_id(p.prev, $1::int, $2::text, $3::text, p.at, $4::text[], $5::bigint, $6::bigint, $7::bigint, $8::text, p.seal),
         p.prev, $1::int, $2::text, $3::text, p.at, $4::text[], $5::bigint, $6::bigint, $7::bigint, $8::text, p.seal
  FROM p
  RETURNING seq, id, at
), u AS (
  UPDATE vsg.root_chunks rc SET forget_seq = e.seq FROM e
  WHERE rc.seq = (SELECT c.seq FROM vsg.commits c WHERE c.table_id = $1::int AND c.kind = 'ROOT' ORDER BY c.seq LIMIT 1)
    AND rc.seal IS NOT NULL AND rc.forget_seq IS NULL
)
SELECT e.seq::text, e.id, to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at FROM e
