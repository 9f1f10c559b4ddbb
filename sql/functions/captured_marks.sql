-- Whether the session's pg_temp.vsg_captured_taken exists and belongs to the
-- role running this (as vsg.captured_own asks of pg_temp.vsg_captured): the
-- marks of the staged rows taken in this transaction (vsg.take_captured), which
-- every reader of the staged rows honours. A table of that name made by another
-- role is never read, so that no one can have staged changes skipped by
-- marking them taken: the readers then read every staged row, and the take
-- deletes the rows it takes instead (as a session whose tables predate the
-- marks did, before vsg.captured_table added them).
CREATE OR REPLACE FUNCTION vsg.captured_marks() RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN vsg.own_temp('vsg_captured_taken');
END
$$;
