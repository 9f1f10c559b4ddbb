-- FORGET entries of the tables $1 (ids), oldest first.
SELECT f.seq::text, f.id, f.table_id::text, f.author, f.message,
       to_char(f.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
       to_json(f.columns)::text AS columns, f.keys::text, f.rows::text, f.cells::text, f.live
FROM vsg.forgets f
WHERE f.table_id = ANY ($1::int[])
ORDER BY f.seq
