-- Rows that differ between commit $1 (old) and commit $2 (new), followed, if
-- $4, by the uncommitted changes of table $5; $3 is the depth of the two
-- commits' first-parent common ancestor. The computation (cost: the changes
-- on the two paths, never the table) is vsg.state_diff in
-- sql/functions/state_diff.sql, shared with the SQL functions for psql users.
-- (the parameters read through `arg`, never as constants: see sql/commit/create.sql)
WITH arg AS MATERIALIZED (SELECT $5::int AS tid, $1::text AS old_c, $2::text AS new_c, $4::boolean AS with_pending, $3::int AS lca_depth)
SELECT d.key, d.old, d.new FROM arg a CROSS JOIN LATERAL vsg.state_diff(a.tid, a.old_c, a.new_c, a.with_pending, a.lca_depth) d
