--! capture-generator: a change to this file rewrites every vsg.capture_<id>() (vsg init)
-- The condition that rel's live columns are those it has now: their names,
-- types and type modifiers, in order. Written into the capture function with
-- constants only: a parameter (TG_RELID) would have PostgreSQL plan the
-- query afresh on every call, which cost ~15 µs a statement.
CREATE OR REPLACE FUNCTION vsg.column_check(rel oid) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT format('(SELECT array_agg(a.attname) = %L AND array_agg(a.atttypid) = %L AND array_agg(a.atttypmod) = %L
                   FROM (SELECT attname, atttypid, atttypmod FROM pg_catalog.pg_attribute
                         WHERE attrelid = %s AND attnum > 0 AND NOT attisdropped ORDER BY attnum) a)',
                array_agg(attname ORDER BY attnum), array_agg(atttypid ORDER BY attnum), array_agg(atttypmod ORDER BY attnum), rel)
  FROM pg_catalog.pg_attribute
  WHERE attrelid = rel AND attnum > 0 AND NOT attisdropped
$$;
