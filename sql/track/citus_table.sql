-- What Citus makes of a table, from its metadata catalog pg_dist_partition (Citus 13, "Citus Tables
-- and Views": partmethod 'h' hash / 'a' append / 'r' range = distributed; 'n' = no distribution
-- column: repmodel 't' a reference table, colocationid 0 a Citus local table, else a single-shard
-- distributed table). No row: a plain PostgreSQL table. Run only where that catalog exists
-- (track/relation, doctor/deployment). Tested against Citus 13.2 (test/integration/citus.test.ts).
SELECT p.logicalrelid::oid::text AS relid, n.nspname, c.relname,
       CASE WHEN p.partmethod IN ('h', 'a', 'r') THEN 'distributed'
            WHEN p.repmodel = 't' THEN 'reference'
            WHEN p.colocationid = 0 THEN 'local'
            ELSE 'distributed' END AS kind
FROM pg_catalog.pg_dist_partition p
JOIN pg_catalog.pg_class c ON c.oid = p.logicalrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE $1::oid IS NULL OR p.logicalrelid = $1::oid
ORDER BY n.nspname, c.relname
