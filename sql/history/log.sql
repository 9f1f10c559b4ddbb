-- Commits reachable from the given heads ($1), newest first, filtered.
-- $2 limit, $3 author (substring, case-insensitive), $4 since, $5 until,
-- $6 per head, the lowest seq to walk down to (NULL: the whole history),
-- $7 only commits below this seq (NULL: no bound; log's `before`, for paging),
-- $8 message (substring, case-insensitive; log's `grep`).
-- A commit's ancestors all have smaller seqs, so every commit reachable with
-- a seq at or above the bound is reached by a walk that never goes below it:
-- the caller sets the bound a few times the limit below the head, and lowers
-- it only when too few commits were found (src/engine/history.ts). One graph
-- row per step through LATERAL ... LIMIT 1: see sql/functions/first_parent_reach.sql;
-- the heads and the commits found are read the same way (joins there were
-- planned, in a generic plan, as a hash of every commit).
-- Pruned commits (docs/prune.md) are not listed: the log ends at the boundary.
WITH RECURSIVE walk(seq, lo) AS (
  SELECT c.seq, b.lo FROM unnest($1::text[], $6::bigint[]) AS b(id, lo)
  CROSS JOIN LATERAL (SELECT c.seq FROM vsg.commits c WHERE c.id = b.id LIMIT 1) c
  UNION
  SELECT p.seq, w.lo FROM walk w
  CROSS JOIN LATERAL (SELECT g.parent, g.merge_parent FROM vsg.commit_graph g WHERE g.seq = w.seq LIMIT 1) g
  CROSS JOIN LATERAL (VALUES (g.parent), (g.merge_parent)) AS p(seq)
  WHERE p.seq >= coalesce(w.lo, 0)
)
SELECT c.id FROM (SELECT DISTINCT seq FROM walk) w
CROSS JOIN LATERAL (SELECT c.id, c.seq, c.pruned, c.author, c.committed_at, c.message FROM vsg.commits c WHERE c.seq = w.seq LIMIT 1) c
WHERE c.pruned IS NULL
  AND ($3::text IS NULL OR c.author ILIKE '%' || $3 || '%')
  AND ($4::timestamptz IS NULL OR c.committed_at >= $4::timestamptz)
  AND ($5::timestamptz IS NULL OR c.committed_at <= $5::timestamptz)
  AND ($7::bigint IS NULL OR c.seq < $7::bigint)
  AND ($8::text IS NULL OR strpos(lower(c.message), lower($8)) > 0)
ORDER BY c.seq DESC
LIMIT $2
