-- A key given as a scalar ('7', 7) for a one-column key, or as an object
-- ({"id": 7}), in the canonical form vsg.changes stores ({"id": "7"}) for the
-- history tid: each value through its column's type, the live column's while
-- the table is tracked and has it, else the type last recorded in history (a
-- dropped table, an untracked history).
CREATE OR REPLACE FUNCTION vsg.history_key(tid int, key jsonb) RETURNS jsonb LANGUAGE plpgsql STABLE
  SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
  SET extra_float_digits = 3 SET bytea_output = 'hex'
AS $$
DECLARE
  t vsg.tracked;
  out jsonb := '{}';
  c text;
  v text;
  typ text;
BEGIN
  SELECT * INTO t FROM vsg.tracked WHERE id = tid;
  IF t.id IS NULL THEN
    RAISE EXCEPTION 'vsg: no history #%', tid USING ERRCODE = '22023';
  END IF;
  IF jsonb_typeof(key) <> 'object' AND cardinality(t.key_columns) <> 1 THEN
    RAISE EXCEPTION 'vsg: % has a key of % columns; give the key as an object', format('%I.%I', t.schema_name, t.table_name), cardinality(t.key_columns) USING ERRCODE = '22023';
  END IF;
  FOREACH c IN ARRAY t.key_columns LOOP
    v := CASE WHEN jsonb_typeof(key) = 'object' THEN key->>c ELSE key#>>'{}' END;
    IF v IS NULL THEN
      RAISE EXCEPTION 'vsg: the key lacks column %', c USING ERRCODE = '22023';
    END IF;
    typ := NULL;
    IF t.untracked_at IS NULL THEN
      SELECT format_type(a.atttypid, a.atttypmod) INTO typ FROM pg_catalog.pg_attribute a
      WHERE a.attrelid = t.relid AND a.attname = c AND NOT a.attisdropped;
    END IF;
    IF typ IS NULL THEN
      SELECT e->>'type' INTO typ FROM jsonb_array_elements(t.signature->'columns') e WHERE e->>'name' = c;
    END IF;
    EXECUTE format('SELECT ($1::%s)::text', typ) INTO v USING v;
    out := out || jsonb_build_object(c, v);
  END LOOP;
  RETURN out;
END
$$;
