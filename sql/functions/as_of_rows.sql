-- The same rows typed as the table: SELECT * FROM vsg.as_of_rows(NULL::clients, 'HEAD~2').
-- Each value goes back through its column's input function, so it is exact
-- (json keeps its whitespace, arrays their bounds); a column the image lacks
-- (added since) is NULL, and so is a forgotten value (vsg forget's marker, an
-- object where a value was: vsg.as_of shows it).
CREATE OR REPLACE FUNCTION vsg.as_of_rows(tbl anyelement, ref text) RETURNS SETOF anyelement LANGUAGE plpgsql STABLE
  SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
  SET extra_float_digits = 3 SET bytea_output = 'hex'
AS $$
DECLARE
  rel regclass := pg_typeof(tbl)::text::regclass;
  cols text;
BEGIN
  SELECT string_agg(format('(CASE WHEN jsonb_typeof(i->%L) <> ''object'' THEN i->>%L END)::%s', attname, attname, format_type(atttypid, atttypmod)), ', ' ORDER BY attnum) INTO cols
  FROM pg_catalog.pg_attribute WHERE attrelid = rel AND attnum > 0 AND NOT attisdropped;
  RETURN QUERY EXECUTE format('SELECT %s FROM vsg.as_of($1, $2) i', cols) USING rel, ref;
END
$$;
