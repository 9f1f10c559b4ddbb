-- Whether the session's pg_temp.vsg_captured exists and belongs to the role
-- running this: vsg's owner, inside the capture and the functions that take
-- or flush its rows (SECURITY DEFINER). A table of that name made by another
-- role (an application's, say, to have changes vanish or to forge some) is
-- never written, read or flushed by vsg (vsg.captured_table).
-- PL/pgSQL, which keeps its plan for the session: every commit asks this
-- (vsg.take_captured), and a SQL function with subqueries is planned again at
-- each call of a new transaction (~0.1–0.2 ms a commit).
CREATE OR REPLACE FUNCTION vsg.captured_own() RETURNS boolean LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN vsg.own_temp('vsg_captured');
END
$$;
