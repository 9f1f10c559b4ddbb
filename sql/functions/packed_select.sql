-- The query whose rows a large UPDATE or DELETE of table rel is kept as
-- (op 'UPDATE' or 'DELETE'; vsg.packed_exprs says how they read): over the
-- statement's transition tables, written into its capture function
-- (sql/functions/write_capture.sql). An UPDATE's old and new rows are paired
-- by their keys as its change rows are (vsg.key_pairing); a pair none of whose columns'
-- text form changed is no change (its image would not either). A key changed
-- is a delete and an insert. A table whose columns are named as these
-- ("vsg:k<n>", "vsg:op", "vsg:b<i>") is not packed (vsg.packable).
DROP FUNCTION IF EXISTS vsg.packed_select(oid, text[], text, text, text);
CREATE OR REPLACE FUNCTION vsg.packed_select(rel oid, key_columns text[], op text) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
  cols text;
  befores text;
  kt text;
  pair text;
  changed text;
BEGIN
  IF op = 'UPDATE' THEN
    SELECT string_agg(CASE WHEN a.attname = ANY (key_columns) THEN format('coalesce(n.%1$I, o.%1$I) AS %1$I', a.attname)
                           ELSE format('n.%1$I AS %1$I', a.attname) END, ', ' ORDER BY a.attnum),
           string_agg(format('o.%I AS %I', a.attname, 'vsg:b' || a.nk), ', ' ORDER BY a.attnum) FILTER (WHERE NOT a.attname = ANY (key_columns)),
           -- a column changed when its text form did: compared as it is where equal values always print
           -- alike (text in "C": byte for byte), else by its text form (numeric 1.0 and 1.00 are equal)
           string_agg(CASE WHEN a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype, 'oid'::regtype, 'bool'::regtype,
                                                'date'::regtype, 'timestamp'::regtype, 'timestamptz'::regtype, 'time'::regtype,
                                                'uuid'::regtype, 'bytea'::regtype, '"char"'::regtype)
                           THEN format('o.%1$I IS DISTINCT FROM n.%1$I', a.attname)
                           WHEN a.atttypid IN ('text'::regtype, 'varchar'::regtype)
                           THEN format('o.%1$I COLLATE "C" IS DISTINCT FROM n.%1$I COLLATE "C"', a.attname)
                           ELSE format('o.%1$I::text IS DISTINCT FROM n.%1$I::text', a.attname) END, ' OR ' ORDER BY a.attnum)
             FILTER (WHERE NOT a.attname = ANY (key_columns))
    INTO cols, befores, changed
    FROM (SELECT a.attname, a.attnum, a.atttypid, sum(CASE WHEN a.attname = ANY (key_columns) THEN 0 ELSE 1 END) OVER (ORDER BY a.attnum) AS nk
          FROM pg_catalog.pg_attribute a WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped) a;
    -- the pairs of vsg.write_capture's change rows
    SELECT p.kt, p.pair INTO kt, pair FROM vsg.key_pairing(rel, key_columns) p;
    RETURN format($q$SELECT %s, (CASE WHEN o."vsg:k1" IS NULL THEN 'I' WHEN n."vsg:k1" IS NULL THEN 'D' ELSE 'U' END)::"char" AS "vsg:op"%s
FROM (SELECT %s, r.* FROM vsg_old r) o FULL JOIN (SELECT %s, r.* FROM vsg_new r) n ON %s
WHERE o."vsg:k1" IS NULL OR n."vsg:k1" IS NULL%s$q$,
                  cols, coalesce(', ' || befores, ''), kt, kt, pair, coalesce(' OR ' || changed, ''));
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
