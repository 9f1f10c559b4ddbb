-- Which of the commits $1 (branch tips) are in pg_temp.vsg_prune.
SELECT id FROM pg_temp.vsg_prune WHERE id = ANY ($1::text[])
