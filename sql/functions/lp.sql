-- Length-prefixed field for hashing: ('ab','c') and ('a','bc') never collide,
-- SQL NULL ('-') differs from the empty string ('0:'). The argument appears
-- twice, not three times (as in CASE WHEN t IS NULL ...): inlined, each
-- appearance is evaluated, and for a jsonb image cast to text that is the
-- cost of a row's hash.
CREATE OR REPLACE FUNCTION vsg.lp(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(octet_length(t)::text || ':' || t, '-')
$$;
