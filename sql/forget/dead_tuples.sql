-- After the plain VACUUM a forget runs: dead row versions it had to keep
-- (still visible to a transaction open somewhere, so possibly old values), as
-- the vacuum itself reported them to the statistics. $1 the tables (regclass text).
SELECT coalesce(sum(n_dead_tup), 0)::text AS n FROM pg_catalog.pg_stat_all_tables WHERE relid = ANY ($1::regclass[])
