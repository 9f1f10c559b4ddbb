-- Whether a reload may read checkpoint vsg.<relname> of `rows` rows
-- (sql/checkpoint/list.sql, sql/timetravel/plan.sql): this role can read it
-- (a dropped or unreadable one is passed over: has_table_privilege of NULL is
-- NULL), and it holds its rows. A checkpoint after a commit is UNLOGGED (a
-- cache: src/core/sql/ddl.ts, createCheckpoint), which a crash or a standby's
-- promotion leaves empty: its file is then of no page.
CREATE OR REPLACE FUNCTION vsg.checkpoint_usable(relname text, rows bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT has_table_privilege(to_regclass(format('vsg.%I', relname)), 'SELECT')
     AND (rows = 0 OR pg_catalog.pg_relation_size(to_regclass(format('vsg.%I', relname))) > 0)
$$;
