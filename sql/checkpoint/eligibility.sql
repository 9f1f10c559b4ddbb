-- (never a Citus distributed table's: it is not reloaded, sql/checkpoint/eligible.sql)
SELECT has_schema_privilege('vsg', 'CREATE') AND vsg.dist_pending($2::int) IS NULL AS may,
greatest((SELECT reltuples FROM pg_catalog.pg_class WHERE oid = $1::oid),
         (SELECT max(rows) FROM vsg.checkpoints WHERE table_id = $2), 0)::bigint::text AS size
