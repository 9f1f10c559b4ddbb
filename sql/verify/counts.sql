-- What verify looked at: tracked tables, histories kept by untrack, commits,
-- change rows and refs.   $1 table_id or NULL
-- (untracked_at read through to_jsonb: verify also runs on a repository of a
-- schema version before untrack kept histories, which has no such column)
SELECT (SELECT count(*) FROM vsg.tracked t WHERE ($1::int IS NULL OR id = $1::int) AND to_jsonb(t)->>'untracked_at' IS NULL)::text AS tables,
       (SELECT count(*) FROM vsg.tracked t WHERE ($1::int IS NULL OR id = $1::int) AND to_jsonb(t)->>'untracked_at' IS NOT NULL)::text AS histories,
       (SELECT count(*) FROM vsg.commits WHERE $1::int IS NULL OR table_id = $1::int)::text AS commits,
       (SELECT count(*) FROM vsg.changes WHERE $1::int IS NULL OR table_id = $1::int)::text AS changes,
       (SELECT count(*) FROM vsg.refs WHERE $1::int IS NULL OR table_id = $1::int)::text AS refs
