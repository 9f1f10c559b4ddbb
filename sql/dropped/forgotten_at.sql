-- The keys of the rows of tracked table $1 as of commit $2 (from history
-- alone, as dropped/rows_at.sql reads them) that hold a forgotten value (vsg
-- forget's marker, an object, where a value was): the first five in key
-- order, each with how many there are in all.
SELECT x.key::text AS key, count(*) OVER ()::text AS n
FROM (SELECT key, new AS img FROM vsg.state_diff($1::int, NULL::text, $2::text, false, -1) WHERE new IS NOT NULL) x
WHERE EXISTS (SELECT 1 FROM jsonb_each(x.img) e WHERE jsonb_typeof(e.value) = 'object')
ORDER BY x.key::text
LIMIT 5
