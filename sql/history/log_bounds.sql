-- Per head ($1): whether a merge is reachable from it (vsg.commit_graph's
-- merge_at), and the seq of its table's $2-th newest commit at or below it,
-- the bound of sql/history/log.sql's walk (NULL when the table has fewer, or
-- when $2 is NULL: no bound). O($2) through commits_table. The head and its
-- graph row are each one probe by key (LATERAL ... LIMIT 1): as joins, with
-- fresh statistics at 1,000 commits, the graph row was found by a scan of the
-- whole graph.
SELECT c.id, g.merge_at IS NOT NULL AS merges,
       (SELECT x.seq FROM vsg.commits x WHERE $2::int IS NOT NULL AND x.table_id = c.table_id AND x.seq <= c.seq
        ORDER BY x.seq DESC OFFSET $2::int - 1 LIMIT 1)::text AS lo
FROM (SELECT DISTINCT s.id FROM unnest($1::text[]) AS s(id)) s
CROSS JOIN LATERAL (SELECT c.id, c.seq, c.table_id FROM vsg.commits c WHERE c.id = s.id LIMIT 1) c
CROSS JOIN LATERAL (SELECT g.merge_at FROM vsg.commit_graph g WHERE g.seq = c.seq LIMIT 1) g
