-- Version 12: vsg's stored functions live in sql/functions/, one a file, and
-- init applies those whose checksum changed (vsg.functions, which init itself
-- creates, as it does vsg.migrations). No table changes: reaching version 12
-- applies every function file once.
COMMENT ON TABLE vsg.functions IS 'vsg''s stored functions as applied from sql/functions/<name>.sql, by checksum';
