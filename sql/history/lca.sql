-- The nearest common commit of $1 and $2 on their first-parent chains, and
-- its depth (vsg.lca in sql/schema/004_timetravel.sql; nothing when unrelated).
SELECT id, depth::text AS depth FROM vsg.lca($1::text, $2::text)
