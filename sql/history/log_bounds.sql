-- Per head ($1): whether a merge is reachable from it (vsg.commit_graph's
-- merge_at), and the seq of its table's $2-th newest commit at or below it,
-- the bound of sql/history/log.sql's walk (NULL when the table has fewer, or
-- when $2 is NULL: no bound). O($2) through commits_table. The head and its
-- graph row are each one probe by key (LATERAL ... LIMIT 1): as joins, with
-- fresh statistics at 1,000 commits, the graph row was found by a scan of the
-- whole graph.
-- (vsg.log_bounds, sql/functions/log_bounds.sql: planned with sequential scans off)
SELECT * FROM vsg.log_bounds($1::text[], $2::int)
