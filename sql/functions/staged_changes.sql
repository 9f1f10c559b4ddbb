-- The changed rows of table tid that a bulk write-back of this transaction
-- left for the commit it is about to make (pg_temp.vsg_delta, see
-- src/engine/apply-bulk.ts), or none. sql/commit/create.sql and
-- sql/timetravel/net_change.sql take them together with the table's pending
-- rows, as the last change of each key: a write-back that is committed at once
-- (checkout) never passes its rows through vsg.pending, whose indexes cost
-- more per row than the write itself.
CREATE OR REPLACE FUNCTION vsg.staged_changes(tid int) RETURNS TABLE (key jsonb, before jsonb, after jsonb) LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF to_regclass('pg_temp.vsg_delta') IS NOT NULL THEN
    RETURN QUERY EXECUTE 'SELECT d.key, d.before, d.after FROM pg_temp.vsg_delta d WHERE d.table_id = $1' USING tid;
  END IF;
END
$$;
