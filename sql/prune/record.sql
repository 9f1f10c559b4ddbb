-- Append a PRUNE entry to the chain, with the seq $1 its commits were marked
-- with: $2 author, $3 message, $4 the point, $5 the bases kept (JSON),
-- $6 forgotten change rows and cells deleted, per table (JSON). The count and
-- the hash of its commits are computed from the commits marked with it.
WITH p AS (
  SELECT (SELECT id FROM vsg.prunes ORDER BY seq DESC LIMIT 1) AS prev, clock_timestamp() AS at
), c AS (
  SELECT count(*) AS n, vsg.pruned_hash(string_agg(vsg.lp(id), '' ORDER BY seq)) AS h FROM vsg.commits WHERE pruned = $1::bigint
)
INSERT INTO vsg.prunes (seq, id, prev, author, message, at, point, commits, commits_hash, bases, forgotten)
SELECT $1::bigint, vsg.prune_hash(p.prev, $2::text, $3::text, p.at, $4::text, c.n, c.h, $5::jsonb, $6::jsonb),
       p.prev, $2::text, $3::text, p.at, $4::text, c.n, c.h, $5::jsonb, $6::jsonb
FROM p, c
RETURNING id, commits::text, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at
