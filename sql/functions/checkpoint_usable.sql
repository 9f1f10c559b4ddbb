-- Whether a reload may read checkpoint vsg.<relname> of `rows` rows
-- (sql/checkpoint/list.sql, sql/timetravel/plan.sql): this role can read it
-- (a dropped or unreadable one is passed over: has_table_privilege of NULL is
-- NULL), and no crash emptied it (vsg.checkpoint_emptied).
CREATE OR REPLACE FUNCTION vsg.checkpoint_usable(relname text, rows bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT has_table_privilege(to_regclass(format('vsg.%I', relname)), 'SELECT')
     AND NOT vsg.checkpoint_emptied(relname, rows)
$$;
