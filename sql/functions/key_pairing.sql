-- How a capture pairs an UPDATE's old and new rows (sql/functions/write_capture.sql,
-- vsg.packed_select) of table rel: `kt`, the select list of each key column
-- over alias r, named "vsg:k<n>"; and `pair`, their equality over aliases o
-- and n. Rows pair when their keys' text forms are equal, as the jsonb keys
-- of their change rows would be (a key column is never NULL): a column whose
-- equal values always print alike is compared as it is (an integer, a uuid,
-- a date; text and varchar byte for byte, in "C"), any other by its text
-- form (numeric 1.0 and 1.00 are equal, and print apart). Joined at a
-- fraction of the cost of comparing jsonb, and a native key at a fraction of
-- its text's (200,000 rows of a bigint key: 0.33–0.40 s against
-- 0.57–0.77 s, docs/performance.md, "Large commits"). `native`: every key
-- column compared as it is. Only then is a large UPDATE kept as a copy: a
-- copy is indexed on its key's values, and a key changed to an equal value
-- that prints apart would stand in it twice, deleted and inserted. A table
-- whose columns bear those names is not packed (vsg.packable); the change
-- rows' capture selects no column of the table's beside them.
DROP FUNCTION IF EXISTS vsg.key_pairing(text[]);
DROP FUNCTION IF EXISTS vsg.key_pairing(oid, text[]);
CREATE OR REPLACE FUNCTION vsg.key_pairing(rel oid, key_columns text[], OUT kt text, OUT pair text, OUT native boolean)
LANGUAGE sql STABLE AS $$
  SELECT string_agg(format(CASE k.how WHEN 'as is' THEN 'r.%I AS %I' WHEN 'in C' THEN 'r.%I COLLATE "C" AS %I'
                                ELSE 'r.%I::text COLLATE "C" AS %I' END, k.c, 'vsg:k' || k.n), ', ' ORDER BY k.n),
         string_agg(format('o.%1$I = n.%1$I', 'vsg:k' || k.n), ' AND ' ORDER BY k.n),
         bool_and(k.how <> 'text')
  FROM (SELECT k.c, k.n,
               CASE WHEN a.atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype, 'oid'::regtype,
                                        'bool'::regtype, 'uuid'::regtype, 'date'::regtype) THEN 'as is'
                    WHEN a.atttypid IN ('text'::regtype, 'varchar'::regtype) THEN 'in C'
                    ELSE 'text' END AS how
        FROM unnest(key_columns) WITH ORDINALITY AS k(c, n)
        LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = rel AND a.attname = k.c AND a.attnum > 0 AND NOT a.attisdropped) k
$$;
