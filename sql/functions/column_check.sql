--! capture-generator: a change to this file rewrites every vsg.capture_<id>() (vsg init)
-- The condition that rel's live columns are those it has now: their names,
-- types and type modifiers, in order. Written into the capture function with
-- constants only: a parameter (TG_RELID) would have PostgreSQL plan the
-- query afresh on every call, which cost ~15 µs a statement.
-- It looks for a row of pg_attribute that differs from constant arrays indexed
-- by attnum (NULL where a column was dropped; dropped columns keep their row and
-- attnum, new ones come after): no aggregate, sort or array comparison to look
-- up and plan. Run first in a session it costs ~1 ms less CPU than three
-- array_agg comparisons did, though a whole first write barely moves
-- (docs/performance.md, "First write in a new session").
CREATE OR REPLACE FUNCTION vsg.column_check(rel oid) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT format($f$NOT EXISTS (SELECT FROM pg_catalog.pg_attribute WHERE attrelid = %s AND attnum > 0
                   AND CASE WHEN attisdropped THEN (%L::pg_catalog.name[])[attnum] IS NOT NULL
                            ELSE (%2$L::pg_catalog.name[])[attnum] IS DISTINCT FROM attname
                              OR (%3$L::pg_catalog.oid[])[attnum] IS DISTINCT FROM atttypid
                              OR (%4$L::pg_catalog.int4[])[attnum] IS DISTINCT FROM atttypmod END)$f$,
                rel,
                array_agg(CASE WHEN NOT attisdropped THEN attname END ORDER BY attnum),
                array_agg(CASE WHEN NOT attisdropped THEN atttypid END ORDER BY attnum),
                array_agg(CASE WHEN NOT attisdropped THEN atttypmod END ORDER BY attnum))
  FROM pg_catalog.pg_attribute
  WHERE attrelid = rel AND attnum > 0
$$;
