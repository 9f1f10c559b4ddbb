--! capture-generator: a change to this file rewrites every vsg.capture_<id>() (vsg init)
-- The name of table tid's capture function.
CREATE OR REPLACE FUNCTION vsg.capture_function(tid int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT format('vsg.%I', 'capture_' || tid)
$$;
