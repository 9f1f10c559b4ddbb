--! capture-generator: a change to this file rewrites every vsg.capture_<id>() (vsg init)
-- SQL expression (over alias) that builds a key: {"pk1": pk1::text, ...}, for
-- SQL run inside the database (src/db/images.ts builds it for the engine).
CREATE OR REPLACE FUNCTION vsg.key_expr(key_columns text[], alias text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT format('jsonb_build_object(%s)', string_agg(format('%L, %I.%I::text', c, alias, c), ', ' ORDER BY n))
  FROM unnest(key_columns) WITH ORDINALITY AS k(c, n)
$$;
