-- The row of key k among the rows of a ROOT commit of hash scheme 3 still
-- packed in its checkpoint, as vsg.root_rows gives each (an insert, no salt or
-- row hash of its own): one probe of the checkpoint's key index, each key
-- column compared in its own type. Nothing for any other commit, or for a key
-- the root's key columns cannot hold (their type changed since). ROWS 1: the
-- planner of vsg.key_changes, which reads it for each key asked, counts one
-- row (the default of a thousand made a forget's UPDATE scan vsg.changes).
CREATE OR REPLACE FUNCTION vsg.root_row(s bigint, k jsonb)
RETURNS TABLE (table_id int, key jsonb, before jsonb, after jsonb, salt bytea, row_hash bytea, forgotten text[])
LANGUAGE plpgsql STABLE ROWS 1
  SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
  SET extra_float_digits = 3 SET bytea_output = 'hex'
AS $$
DECLARE
  tid int;
  rel regclass;
  keys text[];
  match text;
BEGIN
  SELECT x.table_id, x.rel, x.key_columns INTO tid, rel, keys FROM vsg.root_source(s) x;
  IF tid IS NULL THEN
    RETURN;
  END IF;
  SELECT string_agg(format('r.%I%s = ($2->>%L)::%s%s', a.attname, CASE WHEN a.attcollation <> 0 THEN ' COLLATE "C"' ELSE '' END,
                           a.attname, format_type(a.atttypid, a.atttypmod), CASE WHEN a.attcollation <> 0 THEN ' COLLATE "C"' ELSE '' END), ' AND ')
  INTO match
  FROM unnest(keys) AS x(c) JOIN pg_catalog.pg_attribute a ON a.attrelid = rel AND a.attname = x.c AND NOT a.attisdropped;
  BEGIN
    RETURN QUERY EXECUTE format('SELECT $1, %s, NULL::jsonb, %s, NULL::bytea, NULL::bytea, NULL::text[] FROM %s r WHERE %s',
                                vsg.key_expr(keys, 'r'), vsg.image_expr(rel, 'r'), rel, match) USING tid, k;
  EXCEPTION WHEN data_exception THEN
    RETURN;
  END;
END
$$;
