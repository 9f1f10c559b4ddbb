-- Run each of the statements $1 in order (sql/functions/run_each.sql): their row counts.
SELECT vsg.run_each($1::text[])::text AS counts
