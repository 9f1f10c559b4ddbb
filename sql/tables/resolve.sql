-- Every table tracked now (as sql/tables/list.sql gives them, without counts),
-- beside the OID the name $1 resolves to as SQL would resolve it (NULL when
-- $1 is NULL or names no table): what resolving a user's table name needs, in
-- one statement. With no table tracked, one row holds the OID alone.
-- (`base`'s commit is a probe by key, as in sql/tables/list.sql.)
WITH target AS MATERIALIZED (
  SELECT CASE WHEN $1::text IS NULL THEN NULL ELSE vsg.resolve_table($1::text) END AS oid
)
SELECT x.oid::text AS oid, t.id::text, t.relid::text, to_json(t.key_columns)::text AS key_columns, t.head,
       n.nspname AS schema_name, c.relname AS table_name,
       t.schema_name AS stored_schema, t.table_name AS stored_name, t.signature::text AS signature,
       r.id::text AS branch_id, r.commit_id AS head_commit, NULL::text AS commits, NULL::text AS untracked_at,
       (SELECT b.commit_id FROM vsg.bases b CROSS JOIN LATERAL (SELECT bc.seq FROM vsg.commits bc WHERE bc.id = b.commit_id LIMIT 1) bc WHERE b.table_id = t.id
        ORDER BY EXISTS (SELECT 1 FROM vsg.commits hc CROSS JOIN LATERAL vsg.first_parent_reach(hc.seq, ARRAY[bc.seq]) WHERE hc.id = r.commit_id) DESC,
                 b.id DESC LIMIT 1) AS base
FROM target x
LEFT JOIN vsg.tracked t ON t.untracked_at IS NULL
LEFT JOIN pg_catalog.pg_class c ON c.oid = t.relid
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN vsg.refs r ON r.table_id = t.id AND r.name = t.head AND r.kind = 'branch'
ORDER BY coalesce(n.nspname, t.schema_name), coalesce(c.relname, t.table_name)
