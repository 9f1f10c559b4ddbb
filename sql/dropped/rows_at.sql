-- The rows of tracked table $1 as of commit $2 from its history alone (the
-- table may be dropped): every key the state path from the root to $2 touched,
-- with its last image. Costs the history on that path, which is all there is.
SELECT key, new AS img FROM vsg.state_diff($1::int, NULL::text, $2::text, false, -1)
WHERE new IS NOT NULL
