-- The rows of root commit cid (hash scheme 3) as change rows: key and image
-- in the form vsg.changes stores them, read from the root's checkpoint, every
-- row or only key k. Nothing for any other commit. The images are built as the
-- capture builds them (vsg.key_expr, vsg.image_expr) under vsg's fixed
-- settings, so they are the change rows such a root held before version 17.
CREATE OR REPLACE FUNCTION vsg.root_rows(cid text, k jsonb DEFAULT NULL) RETURNS TABLE (key jsonb, after jsonb) LANGUAGE plpgsql STABLE
  SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
  SET extra_float_digits = 3 SET bytea_output = 'hex'
AS $$
DECLARE
  cp record;
  rel regclass;
  kx text;
  m text;
BEGIN
  SELECT * INTO cp FROM vsg.root_checkpoint(cid);
  IF cp.relname IS NOT NULL THEN
    rel := to_regclass(format('vsg.%I', cp.relname));
  END IF;
  IF rel IS NULL THEN
    RETURN;
  END IF;
  kx := vsg.key_expr(cp.key_columns, 'r');
  IF k IS NULL THEN
    RETURN QUERY EXECUTE format('SELECT %s, %s FROM %s r', kx, vsg.image_expr(rel, 'r'), rel);
  ELSE
    -- matched natively, each key value cast to its column's type (as vsg.canonical_key does)
    SELECT string_agg(format('r.%I = ($1->>%L)::%s', c, c, format_type(a.atttypid, a.atttypmod)), ' AND ')
    INTO m
    FROM unnest(cp.key_columns) AS c JOIN pg_catalog.pg_attribute a ON a.attrelid = rel AND a.attname = c AND NOT a.attisdropped;
    RETURN QUERY EXECUTE format('SELECT %s, %s FROM %s r WHERE %s', kx, vsg.image_expr(rel, 'r'), rel, m) USING k;
  END IF;
END
$$;
