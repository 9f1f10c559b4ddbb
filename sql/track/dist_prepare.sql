-- A hash-distributed Citus table's pending table, co-located with it (sql/functions/dist_prepare.sql).
SELECT vsg.dist_prepare($1)::text AS pending
