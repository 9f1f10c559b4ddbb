-- Append a FORGET entry to the chain: $1 table id, $2 author, $3 message,
-- $4 columns (NULL: whole rows), $5 keys, $6 change rows, $7 cells, $8 the --live commit.
WITH p AS (
  SELECT (SELECT id FROM vsg.forgets ORDER BY seq DESC LIMIT 1) AS prev, clock_timestamp() AS at
)
INSERT INTO vsg.forgets (id, prev, table_id, author, message, at, columns, keys, rows, cells, live)
SELECT vsg.forget_hash(p.prev, $1::int, $2::text, $3::text, p.at, $4::text[], $5::bigint, $6::bigint, $7::bigint, $8::text),
       p.prev, $1::int, $2::text, $3::text, p.at, $4::text[], $5::bigint, $6::bigint, $7::bigint, $8::text
FROM p
RETURNING seq::text, id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at
