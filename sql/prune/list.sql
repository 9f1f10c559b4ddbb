-- PRUNE entries, oldest first.
SELECT seq::text, id, author, message, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
       point, commits::text, bases::text
FROM vsg.prunes ORDER BY seq
