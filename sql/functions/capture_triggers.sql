-- Point table tid's four capture triggers at its capture function, which
-- must exist, on the relation vsg.capture_relation names (the table, or a
-- Citus reference table's placement on this node; a Citus distributed table's
-- go to each of its shards). vsg.install_capture writes
-- the function first; a reload, which drops the INSERT and TRUNCATE triggers
-- for its two statements (a disabled trigger with a transition table still
-- collects every row), puts them back.
CREATE OR REPLACE FUNCTION vsg.capture_triggers(tid int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  qname text;
  fname text := vsg.capture_function(tid);
  target regclass := vsg.capture_relation(tid);
  dist boolean := vsg.dist_pending(tid) IS NOT NULL;
  unsafe text;
BEGIN
  IF target IS NULL THEN
    RAISE EXCEPTION 'vsg: table % has no Citus placement on this node to capture its writes on', tid USING ERRCODE = '55000';
  END IF;
  -- (regclass's own output, quoted and qualified as the search path needs, which
  -- the statements below run under; Citus hides its shards from pg_class queries)
  qname := target::text;
  -- A Citus distributed table: Citus copies the triggers to every shard, and
  -- takes them only when told (its capture function is written for the shards,
  -- sql/functions/write_dist_capture.sql); the setting is put back after.
  IF dist THEN
    unsafe := current_setting('citus.enable_unsafe_triggers');
    PERFORM set_config('citus.enable_unsafe_triggers', 'on', true);
  END IF;
  EXECUTE format('CREATE OR REPLACE TRIGGER vsg_capture_insert AFTER INSERT ON %1$s
    REFERENCING NEW TABLE AS vsg_new FOR EACH STATEMENT EXECUTE FUNCTION %2$s()', qname, fname);
  EXECUTE format('CREATE OR REPLACE TRIGGER vsg_capture_update AFTER UPDATE ON %1$s
    REFERENCING OLD TABLE AS vsg_old NEW TABLE AS vsg_new FOR EACH STATEMENT EXECUTE FUNCTION %2$s()', qname, fname);
  EXECUTE format('CREATE OR REPLACE TRIGGER vsg_capture_delete AFTER DELETE ON %1$s
    REFERENCING OLD TABLE AS vsg_old FOR EACH STATEMENT EXECUTE FUNCTION %2$s()', qname, fname);
  EXECUTE format('CREATE OR REPLACE TRIGGER vsg_capture_truncate BEFORE TRUNCATE ON %1$s
    FOR EACH STATEMENT EXECUTE FUNCTION %2$s()', qname, fname);
  IF dist THEN
    PERFORM set_config('citus.enable_unsafe_triggers', unsafe, true);
  END IF;
END
$$;
