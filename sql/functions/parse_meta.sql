-- vsg.meta as a JSON object. Anything else never fails a commit: a JSON scalar
-- or array, or text that is not key=value pairs, is kept under the key "meta".
CREATE OR REPLACE FUNCTION vsg.parse_meta(t text) RETURNS jsonb LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  j jsonb;
BEGIN
  IF t IS NULL OR btrim(t) = '' THEN
    RETURN NULL;
  END IF;
  BEGIN
    j := t::jsonb;
    RETURN CASE WHEN jsonb_typeof(j) = 'object' THEN j ELSE jsonb_build_object('meta', j) END;
  EXCEPTION WHEN others THEN
    NULL; -- not JSON: try key=value pairs below
  END;
  IF t ~ '^\s*[^=,;&\s]+\s*=' THEN
    SELECT jsonb_object_agg(btrim(split_part(p, '=', 1)), btrim(substr(p, strpos(p, '=') + 1)))
      INTO j
      FROM regexp_split_to_table(btrim(t), '\s*[,;&]\s*') AS p
     WHERE strpos(p, '=') > 1;
    IF j IS NOT NULL THEN
      RETURN j;
    END IF;
  END IF;
  RETURN jsonb_build_object('meta', t);
END
$$;
