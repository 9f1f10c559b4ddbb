-- Whether commit $1 is reachable (over every parent) from any of the commits
-- $2 (vsg.reachable_from: through the commit graph, not a walk of every ancestor).
SELECT vsg.reachable_from($1::text, $2::text[]) AS reachable
