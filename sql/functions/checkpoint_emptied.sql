-- Whether checkpoint vsg.<relname>, recorded with `rows` rows, was emptied by
-- a crash (or a standby's promotion, or a restore from a base backup): a
-- checkpoint after a commit is UNLOGGED (a cache: src/core/sql/ddl.ts,
-- createCheckpoint), which PostgreSQL leaves with a file of no page then. A
-- reload passes it over (vsg.checkpoint_usable); the next commit that takes a
-- checkpoint drops it (sql/checkpoint/prune.sql). False for one dropped.
CREATE OR REPLACE FUNCTION vsg.checkpoint_emptied(relname text, rows bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT coalesce(rows > 0 AND pg_catalog.pg_relation_size(to_regclass(format('vsg.%I', relname))) = 0, false)
$$;
