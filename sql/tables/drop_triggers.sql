DROP TRIGGER IF EXISTS vsg_capture_insert ON %1$s;
DROP TRIGGER IF EXISTS vsg_capture_update ON %1$s;
DROP TRIGGER IF EXISTS vsg_capture_delete ON %1$s;
DROP TRIGGER IF EXISTS vsg_capture_truncate ON %1$s;
