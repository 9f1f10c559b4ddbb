-- Where a page of log ended ($1, the id of its last entry: a commit, or a
-- commit across tables): the lowest seq among it and its parts, the bound
-- below which the next page is read (sql/history/log.sql's $7), and, for a
-- commit of one table (or the part of table $2 of a commit across tables,
-- as the log of one table lists it), its first parent (the next page's start
-- on a history without merges). No row when $1 is no commit.
SELECT min(c.seq)::text AS seq,
       (array_agg(c.parent) FILTER (WHERE c.id = $1 OR c.table_id = $2::int))[1] AS parent
FROM vsg.commits c
WHERE c.id = $1 OR c.id IN (SELECT p.part FROM vsg.commit_parts p WHERE p.id = $1)
HAVING count(*) > 0
