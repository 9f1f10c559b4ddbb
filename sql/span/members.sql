-- Every part of the commits across tables $1.
SELECT id AS span, part FROM vsg.commit_parts WHERE id = ANY($1::text[])
