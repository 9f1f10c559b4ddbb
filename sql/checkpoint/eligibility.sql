SELECT has_schema_privilege('vsg', 'CREATE') AS may,
greatest((SELECT reltuples FROM pg_catalog.pg_class WHERE oid = $1::oid),
         (SELECT max(rows) FROM vsg.checkpoints WHERE table_id = $2), 0)::bigint::text AS size
