-- Which of the tables $1 (vsg.tracked ids) have any uncommitted change: one
-- index probe each, so that restoring every table to HEAD leaves the clean
-- ones out of the write.
SELECT t::text AS id FROM unnest($1::int[]) AS t
WHERE EXISTS (SELECT 1 FROM vsg.pending p WHERE p.table_id = t)
