-- The seq of commit $1.
SELECT seq::text FROM vsg.commits WHERE id = $1
