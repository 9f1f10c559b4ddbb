-- Where table $1 (its id; $2 its relation) is captured when that is not the table itself
-- (sql/functions/capture_relation.sql): the placement of a Citus reference table on this node,
-- schema-qualified and quoted (pg_identify_object: Citus hides its shards from pg_class queries);
-- for a Citus distributed table captured on its shards (sql/functions/dist_pending.sql), the table
-- itself, through which Citus reaches every shard, and distributed true; NULL for any other table
-- (src/core/citus.ts).
SELECT CASE WHEN c.rel IS DISTINCT FROM $2::oid::regclass
            THEN (pg_catalog.pg_identify_object('pg_catalog.pg_class'::regclass, c.rel, 0)).identity
            WHEN c.pend IS NOT NULL
            THEN (pg_catalog.pg_identify_object('pg_catalog.pg_class'::regclass, $2::oid, 0)).identity END AS placement,
       c.pend IS NOT NULL AS distributed
FROM (SELECT vsg.capture_relation($1::int) AS rel, vsg.dist_pending($1::int) AS pend) c
