-- Run $2 once for each (key, img) row of query $1 (sql/functions/write_each.sql).
SELECT vsg.write_each($1, $2)::text AS n
