-- The order in which commits $1 were made (vsg.commits.seq): a commit across
-- tables checks --parent by it, table by table.
SELECT id, seq::text FROM vsg.commits WHERE id = ANY($1::text[])
