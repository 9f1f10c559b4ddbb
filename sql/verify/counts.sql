-- What verify looked at: tracked tables, histories kept by untrack, commits,
-- change rows (a root's rows kept as a checkpoint among them: hash scheme 3)
-- and refs.   $1 table_id or NULL
-- (untracked_at read through to_jsonb: verify also runs on a repository of a
-- schema version before untrack kept histories, which has no such column)
SELECT (SELECT count(*) FROM vsg.tracked t WHERE ($1::int IS NULL OR id = $1::int) AND to_jsonb(t)->>'untracked_at' IS NULL)::text AS tables,
       (SELECT count(*) FROM vsg.tracked t WHERE ($1::int IS NULL OR id = $1::int) AND to_jsonb(t)->>'untracked_at' IS NOT NULL)::text AS histories,
       (SELECT count(*) FROM vsg.commits WHERE $1::int IS NULL OR table_id = $1::int)::text AS commits,
       ((SELECT count(*) FROM vsg.changes WHERE $1::int IS NULL OR table_id = $1::int)
        + (SELECT coalesce(sum(rc.rows), 0) FROM vsg.root_chunks rc JOIN vsg.commits c ON c.seq = rc.seq
           WHERE rc.salt IS NOT NULL AND ($1::int IS NULL OR c.table_id = $1::int)))::text AS changes,
       (SELECT count(*) FROM vsg.refs WHERE $1::int IS NULL OR table_id = $1::int)::text AS refs
