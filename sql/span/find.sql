-- Commits across tables whose id starts with $1 (4 to 64 hex characters),
-- with their parts: read as a range of the index, as sql/history/find_ref.sql does.
SELECT p.id AS span, p.part, p.table_id::text
FROM vsg.commit_parts p
WHERE p.id >= $1 AND p.id < $1 || 'g' AND p.id LIKE $1 || '%'
ORDER BY p.id, p.table_id
LIMIT 200
