-- Rows that differ between commit $1 (old) and commit $2 (new), followed, if
-- $4, by the uncommitted changes of table $5; $3 is the depth of the two
-- commits' first-parent common ancestor. The computation (cost: the changes
-- on the two paths, never the table) is vsg.state_diff in
-- sql/functions/state_diff.sql, shared with the SQL functions for psql users.
SELECT key, old, new FROM vsg.state_diff($5::int, $1::text, $2::text, $4::boolean, $3::int)
