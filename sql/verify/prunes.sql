-- PRUNE entries (vsg.prunes, docs/prune.md) and the bases they kept:
--   prune_id      an entry's id does not hash its fields and the previous id
--   prune_chain   an entry does not follow the one before it
--   prune_commits the commits marked with an entry are not those it hashed
--                 (count and vsg.pruned_hash over their ids), or commits are
--                 marked pruned by no entry
--   base_hash     a base the entry kept is missing (and no later prune
--                 superseded it), or its rows' stored row
--                 hashes no longer hash to the hash the entry recorded
--   base_row_hash a base row's salt and values do not hash to its row hash
--                 (a row forgotten by vsg forget has no salt and is not recomputed)
-- $1 a table id, or NULL for every table (entry-level problems are reported
-- for every scope: they concern every table).
WITH f AS (
  SELECT p.*, lag(p.id) OVER (ORDER BY p.seq) AS before_id FROM vsg.prunes p
), cm AS (
  SELECT pruned AS seq, count(*) AS n, vsg.pruned_hash(string_agg(vsg.lp(id), '' ORDER BY seq)) AS h
  FROM vsg.commits WHERE pruned IS NOT NULL GROUP BY pruned
), eb AS (
  SELECT f.seq, (b->>'base')::int AS base_id, (b->>'table_id')::int AS table_id, b->>'hash' AS hash, (b->>'rows')::bigint AS rows, b->>'commit' AS commit
  FROM f CROSS JOIN LATERAL jsonb_array_elements(f.bases) AS b
), br AS (
  SELECT r.base_id, count(*) AS n,
         vsg.base_hash(string_agg(r.row_hash, ''::bytea ORDER BY r.key::text COLLATE "C")) AS h,
         count(*) FILTER (WHERE r.forgotten IS NULL AND vsg.row_hash(r.salt, b.table_id, r.key, NULL, r.image) IS DISTINCT FROM r.row_hash) AS bad,
         (array_agg(r.key::text ORDER BY r.key::text COLLATE "C")
            FILTER (WHERE r.forgotten IS NULL AND vsg.row_hash(r.salt, b.table_id, r.key, NULL, r.image) IS DISTINCT FROM r.row_hash))[1] AS bad_key
  FROM vsg.base_rows r JOIN vsg.bases b ON b.id = r.base_id
  WHERE $1::int IS NULL OR b.table_id = $1::int
  GROUP BY r.base_id
)
SELECT NULL::text AS table_id, 'prune_id' AS code, f.id AS expected,
       vsg.prune_hash(f.prev, f.author, f.message, f.at, f.point, f.commits, f.commits_hash, f.bases, f.forgotten) AS actual
FROM f WHERE vsg.prune_hash(f.prev, f.author, f.message, f.at, f.point, f.commits, f.commits_hash, f.bases, f.forgotten) IS DISTINCT FROM f.id
UNION ALL
SELECT NULL, 'prune_chain', f.before_id, f.prev FROM f WHERE f.prev IS DISTINCT FROM f.before_id
UNION ALL
SELECT NULL, 'prune_commits', format('%s commits, %s', f.commits, f.commits_hash), format('%s commits, %s', coalesce(cm.n, 0), coalesce(cm.h, vsg.pruned_hash(NULL)))
FROM f LEFT JOIN cm ON cm.seq = f.seq
WHERE (coalesce(cm.n, 0), coalesce(cm.h, vsg.pruned_hash(NULL))) IS DISTINCT FROM (f.commits, f.commits_hash)
UNION ALL
SELECT NULL, 'prune_commits', 'no commit marked pruned without an entry', format('%s commits marked by entry #%s', cm.n, cm.seq)
FROM cm WHERE NOT EXISTS (SELECT 1 FROM f WHERE f.seq = cm.seq)
UNION ALL
SELECT eb.table_id::text, 'base_hash', format('%s rows, %s', eb.rows, eb.hash),
       CASE WHEN b.id IS NULL THEN 'missing' ELSE format('%s rows, %s', coalesce(br.n, 0), coalesce(br.h, vsg.base_hash(NULL))) END
FROM eb LEFT JOIN vsg.bases b ON b.id = eb.base_id LEFT JOIN br ON br.base_id = eb.base_id
WHERE ($1::int IS NULL OR eb.table_id = $1::int)
  -- a base superseded by a later prune (which pruned its commit) is gone on purpose
  AND NOT (b.id IS NULL AND EXISTS (SELECT 1 FROM vsg.commits c WHERE c.id = eb.commit AND c.pruned > eb.seq))
  AND (b.id IS NULL OR b.hash <> eb.hash OR (coalesce(br.n, 0), coalesce(br.h, vsg.base_hash(NULL))) IS DISTINCT FROM (eb.rows, eb.hash))
UNION ALL
SELECT b.table_id::text, 'base_row_hash', NULL, format('%s (and %s more rows)', br.bad_key, br.bad - 1)
FROM br JOIN vsg.bases b ON b.id = br.base_id WHERE br.bad > 0
