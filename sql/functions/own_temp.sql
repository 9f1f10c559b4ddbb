-- Whether the session's temporary table `name` exists and belongs to the role
-- running this (vsg.captured_own, vsg.captured_marks): inside vsg's SECURITY
-- DEFINER functions, vsg's owner. PL/pgSQL, which keeps its plan for the
-- session.
CREATE OR REPLACE FUNCTION vsg.own_temp(name text) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
DECLARE
  rel oid := pg_catalog.to_regclass('pg_temp.' || pg_catalog.quote_ident(name));
BEGIN
  IF rel IS NULL THEN
    RETURN false;
  END IF;
  RETURN coalesce((SELECT c.relowner = (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = current_user)
                   FROM pg_catalog.pg_class c WHERE c.oid = rel), false);
END
$$;
