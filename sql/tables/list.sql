-- Tracked tables with their current name, branch and HEAD, and with $2 their commit
-- counts (which cost O(commits): only `vsg tables` asks for them).
SELECT t.id::text, t.relid::text, to_json(t.key_columns)::text AS key_columns, t.head,
       n.nspname AS schema_name, c.relname AS table_name,
       t.schema_name AS stored_schema, t.table_name AS stored_name, t.signature::text AS signature,
       r.id::text AS branch_id, r.commit_id AS head_commit,
       CASE WHEN $2 THEN (SELECT count(*) FROM vsg.commits x WHERE x.table_id = t.id)::text END AS commits
FROM vsg.tracked t
LEFT JOIN pg_catalog.pg_class c ON c.oid = t.relid
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN vsg.refs r ON r.table_id = t.id AND r.name = t.head AND r.kind = 'branch'
WHERE ($1::int IS NULL OR t.id = $1::int)
ORDER BY coalesce(n.nspname, t.schema_name), coalesce(c.relname, t.table_name)
