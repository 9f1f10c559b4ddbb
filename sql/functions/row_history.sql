-- The history of one row of a tracked table on its current branch, newest
-- first (vsg.row_history_by_id, for the table tracked now behind a relation).
CREATE OR REPLACE FUNCTION vsg.row_history(tbl regclass, key jsonb)
RETURNS TABLE (commit_id text, committed_at timestamptz, author text, kind text, message text, before jsonb, after jsonb)
LANGUAGE sql STABLE AS $$ SELECT * FROM vsg.row_history_by_id(vsg.tracked_id(tbl), key) $$;
