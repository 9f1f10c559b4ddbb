-- Per head ($1): whether a merge is reachable from it (vsg.commit_graph's
-- merge_at), and the seq of its table's $2-th newest commit at or below it,
-- the bound of sql/history/log.sql's walk (NULL when the table has fewer, or
-- when $2 is NULL: no bound). O($2) through commits_table.
SELECT c.id, g.merge_at IS NOT NULL AS merges,
       (SELECT x.seq FROM vsg.commits x WHERE $2::int IS NOT NULL AND x.table_id = c.table_id AND x.seq <= c.seq
        ORDER BY x.seq DESC OFFSET $2::int - 1 LIMIT 1)::text AS lo
FROM vsg.commits c JOIN vsg.commit_graph g ON g.seq = c.seq
WHERE c.id = ANY($1::text[])
