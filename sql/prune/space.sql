-- Dead row versions left in the tables a prune rewrote ($1, regclass text),
-- as their last VACUUM reported them.
SELECT coalesce(sum(n_dead_tup), 0)::text AS n FROM pg_catalog.pg_stat_all_tables WHERE relid = ANY ($1::regclass[])
