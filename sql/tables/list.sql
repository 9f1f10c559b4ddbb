-- Tracked tables with their current name, branch and HEAD, and with $2 their commit
-- counts (which cost O(commits): only `vsg tables` asks for them). With $1 the
-- table of that id, tracked or untracked; else the tables tracked now, and with
-- $3 the untracked histories too (untracked_at set; named as when untracked).
-- `base`: the commit of its newest base on its HEAD's first-parent chain (vsg prune's
-- boundary of that branch, docs/prune.md), else of its newest base.
-- Each base's commit is a probe by key: a join was planned, while vsg.commits
-- looked small, as a hash of every commit, with no base at all too.
-- (the parameters read through `arg`, never as constants: see sql/commit/create.sql)
WITH arg AS MATERIALIZED (SELECT $1::int AS id, $2::boolean AS counts, coalesce($3::boolean, false) AS untracked)
SELECT t.id::text, t.relid::text, to_json(t.key_columns)::text AS key_columns, t.head,
       n.nspname AS schema_name, c.relname AS table_name,
       t.schema_name AS stored_schema, t.table_name AS stored_name, t.signature::text AS signature,
       r.id::text AS branch_id, r.commit_id AS head_commit,
       CASE WHEN (SELECT counts FROM arg) THEN (SELECT count(*) FROM vsg.commits x WHERE x.table_id = t.id)::text END AS commits,
       to_char(t.untracked_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS untracked_at,
       (SELECT b.commit_id FROM vsg.bases b CROSS JOIN LATERAL (SELECT bc.seq FROM vsg.commits bc WHERE bc.id = b.commit_id LIMIT 1) bc WHERE b.table_id = t.id
        ORDER BY EXISTS (SELECT 1 FROM vsg.commits hc CROSS JOIN LATERAL vsg.first_parent_reach(hc.seq, ARRAY[bc.seq]) WHERE hc.id = r.commit_id) DESC,
                 b.id DESC LIMIT 1) AS base
FROM vsg.tracked t
LEFT JOIN pg_catalog.pg_class c ON c.oid = t.relid AND t.untracked_at IS NULL
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN vsg.refs r ON r.table_id = t.id AND r.name = t.head AND r.kind = 'branch'
WHERE CASE WHEN (SELECT id FROM arg) IS NOT NULL THEN t.id = (SELECT id FROM arg) ELSE t.untracked_at IS NULL OR (SELECT untracked FROM arg) END
ORDER BY coalesce(n.nspname, t.schema_name), coalesce(c.relname, t.table_name), t.untracked_at DESC NULLS FIRST
