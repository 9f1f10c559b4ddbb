--! capture-generator: a change to this file rewrites every vsg.capture_<id>() (vsg init)
-- Whether every live column of rel prints the same text whatever the session's
-- TimeZone, DateStyle, IntervalStyle, extra_float_digits and bytea_output.
-- Arrays and domains are judged by what they hold; anything not known to be
-- settings-free (dates, times, intervals, floats, bytea, money, geometry,
-- ranges, composites, ...) makes it false.
CREATE OR REPLACE FUNCTION vsg.text_form_fixed(rel oid) RETURNS boolean LANGUAGE sql STABLE AS $$
  WITH RECURSIVE t(oid) AS (
    SELECT atttypid FROM pg_catalog.pg_attribute WHERE attrelid = rel AND attnum > 0 AND NOT attisdropped
    UNION
    SELECT CASE WHEN ty.typtype = 'd' THEN ty.typbasetype ELSE ty.typelem END
    FROM t JOIN pg_catalog.pg_type ty ON ty.oid = t.oid
    WHERE ty.typtype = 'd' OR (ty.typcategory = 'A' AND ty.typelem <> 0)
  )
  SELECT coalesce(bool_and(
           ty.typtype IN ('d', 'e')
           OR (ty.typcategory = 'A' AND ty.typelem <> 0)
           OR ty.oid = ANY ('{bool,name,int2,int4,int8,oid,text,varchar,bpchar,numeric,uuid,json,jsonb,inet,cidr,macaddr,macaddr8,bit,varbit}'::regtype[])),
         true)
  FROM t JOIN pg_catalog.pg_type ty ON ty.oid = t.oid
$$;
