-- vsg schema, version 3 (integrity): table names that are too long are refused.
-- PostgreSQL silently truncates an identifier to max_identifier_length bytes
-- (63), so a 100-character name would otherwise resolve to whichever table has
-- its first 63 characters: never guess, refuse it.
CREATE OR REPLACE FUNCTION vsg.resolve_table(name text) RETURNS oid LANGUAGE plpgsql STABLE AS $$
DECLARE
  maxlen int := current_setting('max_identifier_length')::int;
  parts text[];
  found oid;
BEGIN
  BEGIN
    parts := parse_ident(name);
  EXCEPTION WHEN others THEN
    parts := NULL; -- not valid SQL name syntax
  END;
  IF parts IS NOT NULL AND NOT EXISTS (SELECT 1 FROM unnest(parts) AS p WHERE octet_length(p) > maxlen) THEN
    BEGIN
      found := to_regclass(name)::oid;
    EXCEPTION WHEN others THEN
      found := NULL;
    END;
    IF found IS NOT NULL THEN
      RETURN found;
    END IF;
  END IF;
  -- the exact spelling as one identifier (a mixed-case name given bare)
  IF octet_length(name) > maxlen THEN
    RETURN NULL;
  END IF;
  RETURN to_regclass(quote_ident(name))::oid;
END
$$;
