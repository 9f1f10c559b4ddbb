-- The best common ancestors of commits $1 and $2 over every parent
-- (vsg.merge_bases in sql/functions/merge_bases.sql), newest first.
SELECT id FROM vsg.merge_bases($1::text, $2::text) ORDER BY seq DESC
