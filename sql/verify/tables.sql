-- Every table tracked now (not an untracked history) as the catalog sees it: does it exist, its capture
-- triggers (name and pg_trigger.tgenabled, on the relation vsg.capture_relation names: the table, or a
-- Citus reference table's placement on this node), its head branch, its primary key.
SELECT t.id::text, t.schema_name, t.table_name, n.nspname, c.relname, t.head,
       to_json(t.key_columns)::text AS key_columns,
       (SELECT coalesce(json_agg(json_build_object('name', g.tgname, 'enabled', g.tgenabled::text) ORDER BY g.tgname), '[]')
        FROM pg_catalog.pg_trigger g
        WHERE g.tgrelid = vsg.capture_relation(t.id) AND g.tgfoid = to_regproc(vsg.capture_function(t.id)))::text AS triggers,
       EXISTS (SELECT 1 FROM vsg.refs r WHERE r.table_id = t.id AND r.name = t.head AND r.kind = 'branch')::text AS head_ok,
       (SELECT to_json(array_agg(a.attname ORDER BY k.n))
        FROM pg_catalog.pg_index i
        CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
        JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = t.relid AND i.indisprimary)::text AS pk
FROM vsg.tracked t
LEFT JOIN pg_catalog.pg_class c ON c.oid = t.relid
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE t.untracked_at IS NULL
ORDER BY t.schema_name, t.table_name
