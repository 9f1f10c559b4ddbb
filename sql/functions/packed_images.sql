-- The rows of a copy `rel` of a tracked table's rows (a large statement staged
-- packed, vsg.packing_<n>: sql/functions/write_capture.sql) as captured
-- changes: key, before and after as vsg.key_expr and vsg.packed_exprs
-- build them, under vsg's fixed settings for text forms (the capture's own).
-- What becomes of a packed statement that no commit keeps packed: taken as
-- change rows by its commit (vsg.take_captured) or moved to vsg.pending as
-- the transaction commits (vsg.flush_captured). Without `images`, the keys
-- alone (vsg.captured_keys).
DROP FUNCTION IF EXISTS vsg.packed_images(regclass, text[]);
DROP FUNCTION IF EXISTS vsg.packed_images(regclass, text[], boolean);
CREATE OR REPLACE FUNCTION vsg.packed_images(rel regclass, key_columns text[], images boolean)
RETURNS TABLE (key jsonb, before jsonb, after jsonb)
LANGUAGE plpgsql STABLE
  SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
  SET extra_float_digits = 3 SET bytea_output = 'hex'
AS $$
DECLARE
  b text;
  a text;
BEGIN
  SELECT x.before, x.after INTO b, a FROM vsg.packed_exprs(rel, key_columns, 'r') x;
  RETURN QUERY EXECUTE format('SELECT %s, %s, %s FROM %s r', vsg.key_expr(key_columns, 'r'),
                              CASE WHEN images THEN b ELSE 'NULL::jsonb' END, CASE WHEN images THEN a ELSE 'NULL::jsonb' END, rel);
END
$$;
