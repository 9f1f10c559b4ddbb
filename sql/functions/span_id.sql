-- The id of a commit across tables: SHA-256 over its parts' ids (commits of
-- one table each, whose ids cover their rows), in byte order, so that it
-- depends on the parts alone (docs/integrity.md).
CREATE OR REPLACE FUNCTION vsg.span_id(parts text[]) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to('vsg commit across tables 1' || string_agg(E'\n' || p, '' ORDER BY p COLLATE "C"), 'UTF8')), 'hex')
  FROM unnest(parts) AS p
$$;
