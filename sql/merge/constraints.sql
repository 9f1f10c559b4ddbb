-- The constraints a merge into table $1 (oid) must keep (src/core/merge-constraints.ts),
-- each column list in the constraint's own order:
--   fk_from: a foreign key of the table (other: the referenced table and columns)
--   fk_to:   a foreign key of another table (or the table itself) referencing it whose
--            action on delete or on update is NO ACTION or RESTRICT (other: the
--            referencing table, its columns and its primary key, if any); CASCADE,
--            SET NULL and SET DEFAULT change the referencing rows instead
--   unique:  a unique constraint or index other than the primary key, on plain
--            columns and without a predicate (others are left to the write itself);
--            its key columns only, not those it INCLUDEs
--   check:   a check constraint
-- Not-null columns come from sql/tables/columns.sql. A partition's copy of a foreign
-- key (conparentid <> 0) is skipped: its parent constraint stands for it.
SELECT 'fk_from' AS kind, c.conname AS name,
       (SELECT json_agg(a.attname ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(num, n)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num) AS columns,
       n.nspname AS other_schema, o.relname AS other_name,
       (SELECT json_agg(a.attname ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY k(num, n)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.num) AS other_columns,
       NULL::json AS other_key,
       c.confmatchtype::text AS match, c.confdeltype::text AS on_delete, c.confupdtype::text AS on_update,
       true AS nulls_distinct, c.condeferrable AS deferrable
FROM pg_catalog.pg_constraint c
JOIN pg_catalog.pg_class o ON o.oid = c.confrelid
JOIN pg_catalog.pg_namespace n ON n.oid = o.relnamespace
WHERE c.conrelid = $1::oid AND c.contype = 'f' AND c.conparentid = 0
UNION ALL
SELECT 'fk_to', c.conname,
       (SELECT json_agg(a.attname ORDER BY k.n) FROM unnest(c.confkey) WITH ORDINALITY k(num, n)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k.num),
       n.nspname, o.relname,
       (SELECT json_agg(a.attname ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(num, n)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num),
       (SELECT json_agg(a.attname ORDER BY k.n) FROM pg_catalog.pg_index i
        CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(num, n)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.num
        WHERE i.indrelid = c.conrelid AND i.indisprimary AND k.n <= i.indnkeyatts),
       c.confmatchtype::text, c.confdeltype::text, c.confupdtype::text, true, c.condeferrable
FROM pg_catalog.pg_constraint c
JOIN pg_catalog.pg_class o ON o.oid = c.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = o.relnamespace
WHERE c.confrelid = $1::oid AND c.contype = 'f' AND c.conparentid = 0
  AND (c.confdeltype IN ('a', 'r') OR c.confupdtype IN ('a', 'r'))
UNION ALL
SELECT 'unique', coalesce(k.conname, x.relname),
       (SELECT json_agg(a.attname ORDER BY u.n) FROM unnest(i.indkey::int2[]) WITH ORDINALITY u(num, n)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = u.num
        WHERE u.n <= i.indnkeyatts),
       NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       -- NULLS NOT DISTINCT (PostgreSQL 15+); read through to_jsonb so that older servers answer too
       NOT coalesce((to_jsonb(i) ->> 'indnullsnotdistinct')::boolean, false),
       coalesce(k.condeferrable, false)
FROM pg_catalog.pg_index i
JOIN pg_catalog.pg_class x ON x.oid = i.indexrelid
LEFT JOIN pg_catalog.pg_constraint k ON k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype = 'u'
WHERE i.indrelid = $1::oid AND i.indisunique AND NOT i.indisprimary
  AND i.indexprs IS NULL AND i.indpred IS NULL
UNION ALL
SELECT 'check', c.conname,
       (SELECT json_agg(a.attname ORDER BY k.n) FROM unnest(c.conkey) WITH ORDINALITY k(num, n)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.num),
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, true, false
FROM pg_catalog.pg_constraint c
WHERE c.conrelid = $1::oid AND c.contype = 'c'
ORDER BY 1, 2
