-- The seq of commit $1, or of the newest part of the commit across tables $1.
SELECT max(c.seq)::text AS seq FROM vsg.commits c
WHERE c.id = $1 OR c.id IN (SELECT part FROM vsg.commit_parts WHERE id = $1)
