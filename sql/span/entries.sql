-- The entry of a log over several tables that each of the commits $1 is
-- listed as: the commit across tables it is a part of, or itself; with its
-- seq, so that the newest of a set of tables' commits can be told.
SELECT c.id, coalesce(p.id, c.id) AS entry, c.seq::text
FROM vsg.commits c LEFT JOIN vsg.commit_parts p ON p.part = c.id
WHERE c.id = ANY($1::text[])
