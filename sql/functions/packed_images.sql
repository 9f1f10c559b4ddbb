-- The rows of a copy `rel` of a tracked table's rows (a large INSERT staged
-- packed, vsg.packing_<n>: sql/functions/write_capture.sql) as captured
-- changes: each an insert, key and image as vsg.key_expr and vsg.image_expr
-- build them, under vsg's fixed settings for text forms (the capture's own).
-- What becomes of a packed statement that no commit keeps packed: taken as
-- change rows by its commit (vsg.take_captured) or moved to vsg.pending as
-- the transaction commits (vsg.flush_captured). Without `images`, the keys
-- alone (vsg.captured_keys).
DROP FUNCTION IF EXISTS vsg.packed_images(regclass, text[]);
CREATE OR REPLACE FUNCTION vsg.packed_images(rel regclass, key_columns text[], images boolean)
RETURNS TABLE (key jsonb, after jsonb)
LANGUAGE plpgsql STABLE
  SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
  SET extra_float_digits = 3 SET bytea_output = 'hex'
AS $$
BEGIN
  RETURN QUERY EXECUTE format('SELECT %s, %s FROM %s r', vsg.key_expr(key_columns, 'r'),
                              CASE WHEN images THEN vsg.image_expr(rel, 'r') ELSE 'NULL::jsonb' END, rel);
END
$$;
