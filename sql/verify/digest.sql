-- The history digest: SHA-256 over the ids of every commit in scope up to seq
-- $2, in seq order, with the scope in the input; and how many there are.
-- Every id commits to its content and its parents' ids, so the digest commits
-- to the whole history it covers: a rewritten commit changes its id (and its
-- descendants'), a deleted one changes the count.
--   $1 table_id or NULL (all tables)   $2 highest seq covered (NULL: all there is now)
WITH c AS (
  SELECT seq, id, pruned FROM vsg.commits
  WHERE ($1::int IS NULL OR table_id = $1::int) AND ($2::bigint IS NULL OR seq <= $2::bigint)
)
SELECT coalesce(max(seq), 0)::text AS upto, count(*)::text AS commits,
       -- covered commits since pruned (docs/prune.md): their ids are still there, their contents are not
       count(*) FILTER (WHERE pruned IS NOT NULL)::text AS pruned,
       encode(sha256(convert_to('vsg-digest-1' || vsg.lp(coalesce($1::int::text, 'all'))
                                || coalesce(string_agg(vsg.lp(id), '' ORDER BY seq), ''), 'UTF8')), 'hex') AS hash
FROM c
