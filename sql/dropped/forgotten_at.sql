-- The keys of the rows of tracked table $1 as of commit $2 (from history
-- alone: ROWS_AT is sql/dropped/rows_at.sql, spliced in by src/core/dropped.ts)
-- that hold a forgotten value (vsg forget's marker, an object, where a value
-- was): the first five in key order, each with how many there are in all.
SELECT x.key::text AS key, count(*) OVER ()::text AS n
FROM (ROWS_AT) x
WHERE EXISTS (SELECT 1 FROM jsonb_each(x.img) e WHERE jsonb_typeof(e.value) = 'object')
ORDER BY x.key::text
LIMIT 5
