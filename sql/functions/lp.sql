-- Length-prefixed field for hashing: ('ab','c') and ('a','bc') never collide,
-- SQL NULL ('-') differs from the empty string ('0:').
CREATE OR REPLACE FUNCTION vsg.lp(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN t IS NULL THEN '-' ELSE octet_length(t)::text || ':' || t END
$$;
