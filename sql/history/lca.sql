-- The nearest common commit of $1 and $2 on the state tree, and its sdepth
-- (vsg.lca in sql/functions/lca.sql; nothing when unrelated):
-- what vsg.state_diff and sql/diff/schema_between.sql walk down to.
SELECT id, depth::text AS depth FROM vsg.lca($1::text, $2::text)
