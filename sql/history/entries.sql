-- What log shows beside the commits, in one statement: the FORGET entries of
-- the tables $1 (ids) and every PRUNE entry, each oldest first, as JSON arrays
-- of the rows sql/forget/list.sql and sql/prune/list.sql give.
SELECT (SELECT json_agg(f ORDER BY f.seq_n) FROM (
          SELECT f.seq AS seq_n, f.seq::text AS seq, f.id, f.table_id::text AS table_id, f.author, f.message,
                 to_char(f.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
                 to_json(f.columns)::text AS columns, f.keys::text AS keys, f.rows::text AS rows, f.cells::text AS cells, f.live
          FROM vsg.forgets f WHERE f.table_id = ANY ($1::int[])) f)::text AS forgets,
       (SELECT json_agg(p ORDER BY p.seq_n) FROM (
          SELECT p.seq AS seq_n, p.seq::text AS seq, p.id, p.author, p.message,
                 to_char(p.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at,
                 p.point, p.commits::text AS commits, p.bases::text AS bases
          FROM vsg.prunes p) p)::text AS prunes
