-- The rows of a tracked table as of a commit, as images {column: text form}:
-- the live rows whose key did not change since, plus the images at that
-- commit of the keys that did. Never touches the table.
CREATE OR REPLACE FUNCTION vsg.as_of(tbl regclass, ref text) RETURNS SETOF jsonb LANGUAGE plpgsql STABLE
  SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
  SET extra_float_digits = 3 SET bytea_output = 'hex'
AS $$
DECLARE
  tid int := vsg.tracked_id(tbl);
  keys text[];
  target text;
  head text;
BEGIN
  SELECT t.key_columns INTO keys FROM vsg.tracked t WHERE t.id = tid;
  target := vsg.resolve_commit(tid, ref);
  head := vsg.resolve_commit(tid, 'HEAD');
  RETURN QUERY EXECUTE format(
    'WITH d AS MATERIALIZED (SELECT key, old FROM vsg.state_diff($1, $2, $3, true))
     SELECT %s FROM %s r WHERE NOT EXISTS (SELECT 1 FROM d WHERE %s)
     UNION ALL
     SELECT d.old FROM d WHERE d.old IS NOT NULL',
    vsg.image_expr(tbl::oid, 'r'), tbl, vsg.key_match(tbl::oid, keys, 'r', 'd'))
  USING tid, target, head;
END
$$;
