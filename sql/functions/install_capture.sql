-- Write table tid's capture function and point its four capture triggers at it.
CREATE OR REPLACE FUNCTION vsg.install_capture(tid int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM vsg.write_capture(tid);
  PERFORM vsg.capture_triggers(tid);
END
$$;
