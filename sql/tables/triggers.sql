-- The capture triggers vsg puts on a tracked table (%1$s: its quoted name).
CREATE TRIGGER vsg_capture_insert AFTER INSERT ON %1$s
  REFERENCING NEW TABLE AS vsg_new FOR EACH STATEMENT EXECUTE FUNCTION vsg.capture();
CREATE TRIGGER vsg_capture_update AFTER UPDATE ON %1$s
  REFERENCING OLD TABLE AS vsg_old NEW TABLE AS vsg_new FOR EACH STATEMENT EXECUTE FUNCTION vsg.capture();
CREATE TRIGGER vsg_capture_delete AFTER DELETE ON %1$s
  REFERENCING OLD TABLE AS vsg_old FOR EACH STATEMENT EXECUTE FUNCTION vsg.capture();
CREATE TRIGGER vsg_capture_truncate BEFORE TRUNCATE ON %1$s
  FOR EACH STATEMENT EXECUTE FUNCTION vsg.capture();
