-- A --before date as PostgreSQL reads it, in UTC to the microsecond.
SELECT to_char($1::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at
