-- Where the repository runs, for doctor: the tracked tables that a logical-replication subscription
-- writes into (pg_subscription_rel; their replicated rows fire no statement trigger and go unrecorded),
-- and whether the citus extension's catalog is here (then track/citus_table lists Citus's tables).
SELECT coalesce((
         SELECT json_agg(json_build_object('schema', t.schema_name, 'table', t.table_name, 'subscriptions', s.names)
                         ORDER BY t.schema_name, t.table_name)
         FROM vsg.tracked t
         CROSS JOIN LATERAL (
           SELECT array_agg(sub.subname::text ORDER BY sub.subname) AS names
           FROM pg_catalog.pg_subscription_rel sr
           JOIN pg_catalog.pg_subscription sub ON sub.oid = sr.srsubid
           WHERE sr.srrelid = t.relid) s
         WHERE t.untracked_at IS NULL AND s.names IS NOT NULL), '[]')::text AS subscribed,
       pg_catalog.to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL AS citus,
       (SELECT coalesce(json_agg(t.relid::text), '[]') FROM vsg.tracked t WHERE t.untracked_at IS NULL)::text AS tracked
