--! capture-generator: a change to this file rewrites every vsg.capture_<id>() (vsg init)
-- SQL expression (over alias) that builds a row image: {"col": col::text, ...}.
-- jsonb_build_object takes at most 100 arguments, so wide tables are built in
-- chunks of 50 columns and concatenated. For SQL run inside the database (the
-- capture functions, vsg.as_of); the engine builds the same in src/db/images.ts.
CREATE OR REPLACE FUNCTION vsg.image_expr(rel oid, alias text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(string_agg(format('jsonb_build_object(%s)', pairs), ' || '), '''{}''::jsonb')
  FROM (
    SELECT string_agg(format('%L, %I.%I::text', attname, alias, attname), ', ' ORDER BY attnum) AS pairs
    FROM (SELECT attname, attnum, (row_number() OVER (ORDER BY attnum) - 1) / 50 AS grp
          FROM pg_catalog.pg_attribute
          WHERE attrelid = rel AND attnum > 0 AND NOT attisdropped) a
    GROUP BY grp
  ) g
$$;
