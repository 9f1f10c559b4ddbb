-- Before untrack removes capture triggers: whether Citus is installed here. Then a table tracked
-- before Citus distributed it carries them on every shard, and the plain DROP TRIGGER fails on Citus
-- 13 ("triggers are not supported on distributed tables"; with citus.enable_unsafe_triggers on, the
-- capture function's drop then fails on the workers, whose connection does not see the triggers'
-- drop), so untrack drops the capture function with CASCADE: one statement Citus runs on each worker.
SELECT pg_catalog.to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL AS citus
