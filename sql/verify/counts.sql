-- What verify looked at: tracked tables, histories kept by untrack, commits,
-- change rows and refs.   $1 table_id or NULL
SELECT (SELECT count(*) FROM vsg.tracked WHERE ($1::int IS NULL OR id = $1::int) AND untracked_at IS NULL)::text AS tables,
       (SELECT count(*) FROM vsg.tracked WHERE ($1::int IS NULL OR id = $1::int) AND untracked_at IS NOT NULL)::text AS histories,
       (SELECT count(*) FROM vsg.commits WHERE $1::int IS NULL OR table_id = $1::int)::text AS commits,
       (SELECT count(*) FROM vsg.changes WHERE $1::int IS NULL OR table_id = $1::int)::text AS changes,
       (SELECT count(*) FROM vsg.refs WHERE $1::int IS NULL OR table_id = $1::int)::text AS refs
