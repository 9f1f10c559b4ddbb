--! capture-generator: a change to this file rewrites every vsg.capture_<id>() (vsg init)
-- The SET clauses of the capture function of relation rel (vsg.write_capture,
-- vsg.write_dist_capture): vsg's fixed settings for text forms, where one of
-- the table's column types prints differently under others
-- (vsg.text_form_fixed); none otherwise, so that a table of integers, text,
-- numeric and the like pays no switch of settings at every statement.
-- PL/pgSQL: its body is not checked against functions applied after it.
CREATE OR REPLACE FUNCTION vsg.capture_settings(rel oid) RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF vsg.text_form_fixed(rel) THEN
    RETURN '';
  END IF;
  RETURN $s$ SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
    SET extra_float_digits = 3 SET bytea_output = 'hex'$s$;
END
$$;
