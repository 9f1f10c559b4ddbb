-- The foreign keys that touch tables $1 (relation oids): among them, and
-- from or to a table outside them (src/core/fk-graph.ts). Each with its
-- tables, columns in key order (JSON arrays), actions and deferrability. A partition's
-- copy of a partitioned table's key (conparentid <> 0) is the same key.
SELECT f.conname AS name,
       n.nspname AS constraint_schema,
       f.conrelid::text AS child,
       cn.nspname AS child_schema, cc.relname AS child_name,
       f.confrelid::text AS parent,
       pn.nspname AS parent_schema, pc.relname AS parent_name,
       array_to_json(ARRAY(SELECT a.attname::text FROM unnest(f.conkey) WITH ORDINALITY k(num, i)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = f.conrelid AND a.attnum = k.num ORDER BY k.i))::text AS child_columns,
       array_to_json(ARRAY(SELECT a.attname::text FROM unnest(f.confkey) WITH ORDINALITY k(num, i)
             JOIN pg_catalog.pg_attribute a ON a.attrelid = f.confrelid AND a.attnum = k.num ORDER BY k.i))::text AS parent_columns,
       f.confdeltype::text AS on_delete,
       f.confupdtype::text AS on_update,
       f.condeferrable AS deferrable,
       f.condeferred AS deferred
FROM pg_catalog.pg_constraint f
JOIN pg_catalog.pg_namespace n ON n.oid = f.connamespace
JOIN pg_catalog.pg_class cc ON cc.oid = f.conrelid
JOIN pg_catalog.pg_namespace cn ON cn.oid = cc.relnamespace
JOIN pg_catalog.pg_class pc ON pc.oid = f.confrelid
JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace
WHERE f.contype = 'f' AND f.conparentid = 0
  AND (f.conrelid = ANY ($1::oid[]) OR f.confrelid = ANY ($1::oid[]))
ORDER BY f.conrelid, f.conname
