-- A key given as a scalar ('7', 7) for a one-column key, or as an object
-- ({"id": 7}), in the canonical form vsg.changes stores: {"id": "7"}.
CREATE OR REPLACE FUNCTION vsg.canonical_key(tbl regclass, key jsonb) RETURNS jsonb LANGUAGE plpgsql STABLE
  SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
  SET extra_float_digits = 3 SET bytea_output = 'hex'
AS $$
DECLARE
  keys text[];
  out jsonb := '{}';
  c text;
  v text;
  typ text;
BEGIN
  SELECT t.key_columns INTO keys FROM vsg.tracked t WHERE t.id = vsg.tracked_id(tbl);
  IF jsonb_typeof(key) <> 'object' AND cardinality(keys) <> 1 THEN
    RAISE EXCEPTION 'vsg: % has a key of % columns; give the key as an object', tbl, cardinality(keys) USING ERRCODE = '22023';
  END IF;
  FOREACH c IN ARRAY keys LOOP
    v := CASE WHEN jsonb_typeof(key) = 'object' THEN key->>c ELSE key#>>'{}' END;
    IF v IS NULL THEN
      RAISE EXCEPTION 'vsg: the key lacks column %', c USING ERRCODE = '22023';
    END IF;
    SELECT format_type(a.atttypid, a.atttypmod) INTO typ FROM pg_catalog.pg_attribute a WHERE a.attrelid = tbl AND a.attname = c;
    IF typ IS NULL THEN
      -- the table was dropped: the type last recorded in history
      SELECT e->>'type' INTO typ FROM vsg.tracked t CROSS JOIN LATERAL jsonb_array_elements(t.signature->'columns') e
      WHERE t.id = vsg.tracked_id(tbl) AND e->>'name' = c;
    END IF;
    EXECUTE format('SELECT ($1::%s)::text', typ) INTO v USING v;
    out := out || jsonb_build_object(c, v);
  END LOOP;
  RETURN out;
END
$$;
