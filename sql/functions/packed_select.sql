-- The query whose rows a large UPDATE or DELETE of table rel is kept as
-- (op 'UPDATE' or 'DELETE'; vsg.packed_exprs says how they read): over the
-- statement's transition tables, written into its capture function
-- (sql/functions/write_capture.sql). An UPDATE's old and new rows are paired
-- by their keys' text, as its change rows are (kt, pair: over aliases r, o
-- and n); a pair whose row's text form did not change is no change (its
-- image would not either). A key changed is a delete and an insert.
CREATE OR REPLACE FUNCTION vsg.packed_select(rel oid, key_columns text[], op text, kt text, pair text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
  cols text;
  befores text;
BEGIN
  IF op = 'UPDATE' THEN
    SELECT string_agg(CASE WHEN a.attname = ANY (key_columns) THEN format('coalesce((n.r).%1$I, (o.r).%1$I) AS %1$I', a.attname)
                           ELSE format('(n.r).%1$I AS %1$I', a.attname) END, ', ' ORDER BY a.attnum),
           string_agg(format('(o.r).%I AS %I', a.attname, 'vsg:b' || a.nk), ', ' ORDER BY a.attnum) FILTER (WHERE NOT a.attname = ANY (key_columns))
    INTO cols, befores
    FROM (SELECT a.attname, a.attnum, sum(CASE WHEN a.attname = ANY (key_columns) THEN 0 ELSE 1 END) OVER (ORDER BY a.attnum) AS nk
          FROM pg_catalog.pg_attribute a WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped) a;
    RETURN format($q$SELECT %s, (CASE WHEN o.r IS NULL THEN 'I' WHEN n.r IS NULL THEN 'D' ELSE 'U' END)::"char" AS "vsg:op"%s
FROM (SELECT %s, r FROM vsg_old r) o FULL JOIN (SELECT %s, r FROM vsg_new r) n ON %s
WHERE o.r::text IS DISTINCT FROM n.r::text$q$, cols, coalesce(', ' || befores, ''), kt, kt, pair);
  END IF;
  SELECT string_agg(CASE WHEN a.attname = ANY (key_columns) THEN format('r.%1$I AS %1$I', a.attname)
                         ELSE format('NULL::%s AS %I', format_type(a.atttypid, a.atttypmod), a.attname) END, ', ' ORDER BY a.attnum),
         string_agg(format('r.%I AS %I', a.attname, 'vsg:b' || a.nk), ', ' ORDER BY a.attnum) FILTER (WHERE NOT a.attname = ANY (key_columns))
  INTO cols, befores
  FROM (SELECT a.attname, a.attnum, a.atttypid, a.atttypmod, sum(CASE WHEN a.attname = ANY (key_columns) THEN 0 ELSE 1 END) OVER (ORDER BY a.attnum) AS nk
        FROM pg_catalog.pg_attribute a WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped) a;
  RETURN format($q$SELECT %s, 'D'::"char" AS "vsg:op"%s FROM vsg_old r$q$, cols, coalesce(', ' || befores, ''));
END
$$;
