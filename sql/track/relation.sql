-- A relation to track: its name and kind; whether the current role owns it (its triggers need that:
-- CREATE TRIGGER is allowed to the owner alone) and who does; the logical-replication subscriptions
-- that write into it (pg_subscription_rel: their apply worker fires no statement trigger, so vsg would
-- record none of its rows); and whether the citus extension's catalog is here (track/citus_table).
SELECT n.nspname, c.relname, c.relkind,
       pg_catalog.pg_has_role(c.relowner, 'USAGE') AS owned,
       pg_catalog.pg_get_userbyid(c.relowner) AS owner,
       (SELECT string_agg(s.subname, ', ' ORDER BY s.subname)
        FROM pg_catalog.pg_subscription_rel sr
        JOIN pg_catalog.pg_subscription s ON s.oid = sr.srsubid
        WHERE sr.srrelid = c.oid) AS subscriptions,
       pg_catalog.to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL AS citus
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1::oid
