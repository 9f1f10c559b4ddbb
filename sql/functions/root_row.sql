-- The row of key k among the rows of a commit of hash scheme 3 still packed
-- in its copy, as vsg.root_rows gives each (no salt or row hash of its own):
-- one probe of the copy's key index, each key
-- column compared in its own type (vsg.root_rows_of). Nothing for any other
-- commit, or for a key the root's key columns cannot hold (their type changed
-- since). ROWS 1: the planner of vsg.key_changes, which reads it for each key
-- asked, counts one row (the default of a thousand made a forget's UPDATE
-- scan vsg.changes); PL/pgSQL, so that it is never inlined without it.
CREATE OR REPLACE FUNCTION vsg.root_row(s bigint, k jsonb)
RETURNS TABLE (table_id int, key jsonb, before jsonb, after jsonb, salt bytea, row_hash bytea, forgotten text[])
LANGUAGE plpgsql STABLE ROWS 1 AS $$
BEGIN
  RETURN QUERY SELECT r.table_id, r.key, r.before, r.after, r.salt, r.row_hash, r.forgotten FROM vsg.root_rows_of(s, ARRAY[k]) r;
END
$$;
