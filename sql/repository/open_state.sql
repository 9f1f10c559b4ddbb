-- Opening a repository, in one round trip where vsg.functions exists: the
-- schema version, how many of this vsg's migrations ($1) are recorded, and
-- every stored function applied with its checksum (name:sha256, one per line),
-- and whether the citus extension's catalog is here (src/db/db.ts knowCitus).
-- Where vsg.migrations or vsg.functions does not exist it fails (42P01,
-- undefined table), and src/core/repository.ts asks step by step.
SELECT max(m.version)::text AS v, count(*) FILTER (WHERE m.version = ANY($1::int[]))::text AS n,
       (SELECT string_agg(f.name || ':' || f.checksum, E'\n') FROM vsg.functions f) AS functions,
       pg_catalog.to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL AS citus
FROM vsg.migrations m
