-- The time of commit $1, in UTC to the microsecond.
SELECT to_char(committed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at FROM vsg.commits WHERE id = $1
