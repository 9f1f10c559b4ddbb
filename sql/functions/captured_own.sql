-- Whether the session's pg_temp.vsg_captured exists and belongs to the role
-- running this: vsg's owner, inside the capture and the functions that take
-- or flush its rows (SECURITY DEFINER). A table of that name made by another
-- role (an application's, say, to have changes vanish or to forge some) is
-- never written, read or flushed by vsg (vsg.captured_table).
CREATE OR REPLACE FUNCTION vsg.captured_own() RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce((SELECT c.relowner = (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = current_user)
                   FROM pg_catalog.pg_class c WHERE c.oid = pg_catalog.to_regclass('pg_temp.vsg_captured')), false)
$$;
