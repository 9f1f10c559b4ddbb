-- SQL (over alias r) that is true when r's key equals the key image k.key, for
-- vsg.as_of (src/db/images.ts builds it for the engine).
CREATE OR REPLACE FUNCTION vsg.key_match(rel oid, key_columns text[], alias text, kalias text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT string_agg(format('%I.%I = (%I.key->>%L)::%s', alias, c, kalias, c, format_type(a.atttypid, a.atttypmod)), ' AND ' ORDER BY n)
  FROM unnest(key_columns) WITH ORDINALITY AS k(c, n)
  JOIN pg_catalog.pg_attribute a ON a.attrelid = rel AND a.attname = k.c
$$;
