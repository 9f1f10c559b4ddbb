-- The statement of sql/history/commits.sql (what it gives is said there), as a
-- function so that it is planned with sequential scans off, as the walks of
-- vsg.merge_bases and vsg.first_parent_reach are. Each read of vsg.commits
-- there is a probe by key (LATERAL ... LIMIT 1), which statistics saying the
-- table is small, or a plan a session kept from when it was, made a scan of
-- every commit (at every step of a walk); a statement cannot turn the scans
-- off for itself, a function can. Not inlined (the SET), so planned at each
-- call, with its arguments as parameters ($1 ... in the body). JIT is off:
-- a scan left with no index to use (a small table's) costs the planner's
-- penalty for a disabled scan, which would have the plan compiled (0.6 s).
CREATE OR REPLACE FUNCTION vsg.log_commits(p_ids text[])
RETURNS TABLE (id text, seq text, table_id text, parent text, merge_parent text, depth text, kind text, operation text, author text, message text, committed_at text, statement text, meta text, inserted text, updated text, deleted text, change_hash text, source text, refs text, schema_name name, table_name name, span text, pruned boolean) LANGUAGE sql STABLE
  SET enable_seqscan = off SET jit = off AS $$
WITH arg AS MATERIALIZED (SELECT $1::text[] AS ids
), refs AS MATERIALIZED (
  SELECT r.commit_id, json_agg(json_build_object('name', r.name, 'kind', r.kind) ORDER BY r.kind, r.name) AS refs
  FROM vsg.refs r WHERE r.commit_id = ANY((SELECT ids FROM arg)::text[])
    -- (an untracked history's refs name no branch of the repository any more)
    AND EXISTS (SELECT 1 FROM vsg.tracked t WHERE t.id = r.table_id AND t.untracked_at IS NULL)
  GROUP BY r.commit_id
)
SELECT c.id, c.seq::text, c.table_id::text, c.parent, c.merge_parent, c.depth::text, c.kind, c.operation,
       c.author, c.message,
       to_char(c.committed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS committed_at,
       c.statement, c.meta::text AS meta, c.inserted::text, c.updated::text, c.deleted::text, c.change_hash, c.source,
       coalesce(x.refs, '[]')::text AS refs,
       coalesce(n.nspname, t.schema_name) AS schema_name, coalesce(k.relname, t.table_name) AS table_name,
       sp.id AS span, c.pruned IS NOT NULL AS pruned
FROM (SELECT DISTINCT a.id FROM unnest((SELECT ids FROM arg)::text[]) AS a(id)) a
CROSS JOIN LATERAL (SELECT c.* FROM vsg.commits c WHERE c.id = a.id LIMIT 1) c
LEFT JOIN refs x ON x.commit_id = c.id
LEFT JOIN vsg.commit_parts sp ON sp.part = c.id
LEFT JOIN vsg.tracked t ON t.id = c.table_id
LEFT JOIN pg_catalog.pg_class k ON k.oid = t.relid AND t.untracked_at IS NULL
LEFT JOIN pg_catalog.pg_namespace n ON n.oid = k.relnamespace
ORDER BY c.seq DESC
$$;
