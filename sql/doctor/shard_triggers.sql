-- A tracked Citus distributed table's shards ($1, the table), and how many of them carry vsg's
-- three row-change capture triggers, enabled (Citus names a shard's copy of trigger t t_<shardid>;
-- sql/functions/capture_triggers.sql): asked of each shard's node by run_command_on_shards.
SELECT count(*) AS shards, count(*) FILTER (WHERE s.success AND s.result = '3') AS captured
FROM pg_catalog.run_command_on_shards($1::oid::regclass,
  $q$SELECT count(*) FROM pg_catalog.pg_trigger WHERE tgrelid = '%s'::regclass AND tgenabled <> 'D'
       AND (tgname LIKE 'vsg\_capture\_insert\_%%' OR tgname LIKE 'vsg\_capture\_update\_%%' OR tgname LIKE 'vsg\_capture\_delete\_%%')$q$) s
