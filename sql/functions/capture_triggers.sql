-- Point table tid's four capture triggers at its capture function, which
-- must exist. vsg.install_capture writes the function first; a reload, which
-- drops the INSERT and TRUNCATE triggers for its two statements (a disabled
-- trigger with a transition table still collects every row), puts them back.
CREATE OR REPLACE FUNCTION vsg.capture_triggers(tid int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  qname text;
  fname text := vsg.capture_function(tid);
BEGIN
  SELECT format('%I.%I', n.nspname, c.relname) INTO STRICT qname
  FROM vsg.tracked t
  JOIN pg_catalog.pg_class c ON c.oid = t.relid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE t.id = tid;
  EXECUTE format('CREATE OR REPLACE TRIGGER vsg_capture_insert AFTER INSERT ON %1$s
    REFERENCING NEW TABLE AS vsg_new FOR EACH STATEMENT EXECUTE FUNCTION %2$s()', qname, fname);
  EXECUTE format('CREATE OR REPLACE TRIGGER vsg_capture_update AFTER UPDATE ON %1$s
    REFERENCING OLD TABLE AS vsg_old NEW TABLE AS vsg_new FOR EACH STATEMENT EXECUTE FUNCTION %2$s()', qname, fname);
  EXECUTE format('CREATE OR REPLACE TRIGGER vsg_capture_delete AFTER DELETE ON %1$s
    REFERENCING OLD TABLE AS vsg_old FOR EACH STATEMENT EXECUTE FUNCTION %2$s()', qname, fname);
  EXECUTE format('CREATE OR REPLACE TRIGGER vsg_capture_truncate BEFORE TRUNCATE ON %1$s
    FOR EACH STATEMENT EXECUTE FUNCTION %2$s()', qname, fname);
END
$$;
