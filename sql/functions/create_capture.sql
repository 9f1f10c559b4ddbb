--! capture-generator: a change to this file rewrites every vsg.capture_<id>() (vsg init)
-- Create (or replace) capture function fname of relation rel with PL/pgSQL
-- body (vsg.write_capture, vsg.write_dist_capture): SECURITY DEFINER with a
-- fixed search_path, and vsg's fixed settings for text forms where one of the
-- table's column types prints differently under others (vsg.text_form_fixed);
-- none otherwise, so that a table of integers, text, numeric and the like pays
-- no switch of settings at every statement. The body is passed as one quoted
-- literal (%L), never inside a dollar quote: column names are the table
-- owner's to choose, '$x$' included. No EXECUTE for PUBLIC: a trigger's
-- function is checked for EXECUTE when the trigger is made, never when it
-- fires, so every role's writes to the table are captured as before, while a
-- role that may not track cannot put the function on a table of its own (a
-- temporary one shaped like the tracked table) and have it write what it
-- likes into vsg.pending as vsg's owner. Returns fname, for the triggers.
CREATE OR REPLACE FUNCTION vsg.create_capture(fname text, rel oid, body text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  settings text := '';
BEGIN
  IF NOT vsg.text_form_fixed(rel) THEN
    settings := $s$ SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
    SET extra_float_digits = 3 SET bytea_output = 'hex'$s$;
  END IF;
  EXECUTE format($ddl$CREATE OR REPLACE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp%s
    AS %L$ddl$, fname, settings, body);
  EXECUTE format('REVOKE EXECUTE ON FUNCTION %s() FROM PUBLIC', fname);
  RETURN fname;
END
$$;
