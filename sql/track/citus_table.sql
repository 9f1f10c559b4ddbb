-- What Citus makes of a table, from its metadata catalog pg_dist_partition (Citus 13, "Citus Tables
-- and Views": partmethod 'h' hash / 'a' append / 'r' range = distributed; 'n' = no distribution
-- column: repmodel 't' a reference table, colocationid 0 a Citus local table, else a single-shard
-- distributed table). No row: a plain PostgreSQL table. For a reference table, placement names its
-- shard on this node (pg_dist_placement of pg_dist_local_group's group), where vsg captures its writes
-- (sql/functions/capture_relation.sql), NULL if it has none here. method is partmethod ('h': hash,
-- the distributed tables vsg versions, sql/functions/dist_prepare.sql). Run only where that catalog exists
-- (track/relation, doctor/deployment). Tested against Citus 13.2 (test/integration/citus.test.ts).
SELECT p.logicalrelid::oid::text AS relid, n.nspname, c.relname,
       CASE WHEN p.partmethod IN ('h', 'a', 'r') THEN 'distributed'
            WHEN p.repmodel = 't' THEN 'reference'
            WHEN p.colocationid = 0 THEN 'local'
            ELSE 'distributed' END AS kind,
       CASE WHEN p.partmethod = 'n' AND p.repmodel = 't' THEN (
         SELECT pg_catalog.to_regclass(pg_catalog.shard_name(s.logicalrelid, s.shardid))::text
         FROM pg_catalog.pg_dist_shard s
         JOIN pg_catalog.pg_dist_placement pl ON pl.shardid = s.shardid
         WHERE s.logicalrelid = p.logicalrelid
           AND pl.groupid = (SELECT g.groupid FROM pg_catalog.pg_dist_local_group g)) END AS placement,
       p.partmethod::text AS method,
       -- a tracked hash-distributed table's pending table (sql/functions/dist_pending.sql)
       (SELECT vsg.dist_pending(t.id)::text FROM vsg.tracked t WHERE t.relid = p.logicalrelid AND t.untracked_at IS NULL) AS pending
FROM pg_catalog.pg_dist_partition p
JOIN pg_catalog.pg_class c ON c.oid = p.logicalrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE ($1::oid IS NULL OR p.logicalrelid = $1::oid)
  AND n.nspname <> 'vsg' -- vsg's own (the pending tables of distributed tables)
ORDER BY n.nspname, c.relname
