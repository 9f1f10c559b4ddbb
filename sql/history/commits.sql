-- Commits by id, with everything log and show print. The refs are read once
-- for all of them, those of tables tracked now (vsg.refs has no index on commit_id, and a busy branch's
-- row leaves dead versions behind: one scan, not one per commit). Each comes
-- with its table's name now (or as tracked, when the table was dropped, or as
-- untracked: a history no longer followed keeps the name it ended with), and
-- the commit across tables it is a part of, if any, and whether vsg prune
-- dropped its changes.
-- (the ids read through `arg`, never as constants: see sql/commit/create.sql)
-- Each commit is one probe by key (LATERAL ... LIMIT 1): `id = ANY (ids)`
-- was planned, with statistics that say vsg.commits is small, as a scan of
-- every commit, so that a log of ten read the whole history.
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
