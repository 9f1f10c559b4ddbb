-- vsg schema, version 9: writing a large difference back in bulk.
--
-- Write-back (checkout, restore, rollback, switch, merge) of a difference that
-- is a large share of the table records the rows it changes itself, from the
-- statements that change them (src/engine/apply-bulk.ts), instead of through
-- the capture trigger, whose transition-table pairing costs more than the write.
-- vsg.tracked.applying (migration 008) holds the transaction (txid) doing so;
-- the table's capture function then skips its own top-level statements in that
-- transaction. Statements run by triggers or foreign-key actions (trigger
-- depth above 1) are still captured, and every other transaction is captured
-- as before. vsg sets the column and clears it again around its statements,
-- with the table's row locked, inside the command's one transaction: a failure
-- rolls it back, and only a session that may update vsg.tracked can set it.

-- The hash of one change, unchanged, but STABLE instead of IMMUTABLE: its body
-- calls convert_to(), which is STABLE, so as IMMUTABLE it was never inlined and
-- every change of a commit paid a SQL-function call (~2.5 us a change).
CREATE OR REPLACE FUNCTION vsg.change_digest(key jsonb, before jsonb, after jsonb) RETURNS bytea LANGUAGE sql STABLE AS $$
  SELECT sha256(convert_to(vsg.lp(key::text) || vsg.lp(before::text) || vsg.lp(after::text), 'UTF8'))
$$;

-- The changed rows of table tid that a bulk write-back of this transaction
-- left for the commit it is about to make (pg_temp.vsg_delta, see
-- src/engine/apply-bulk.ts), or none. sql/commit/create.sql and
-- sql/timetravel/net_change.sql take them together with the table's pending
-- rows, as the last change of each key: a write-back that is committed at once
-- (checkout) never passes its rows through vsg.pending, whose indexes cost
-- more per row than the write itself.
CREATE FUNCTION vsg.staged_changes(tid int) RETURNS TABLE (key jsonb, before jsonb, after jsonb) LANGUAGE plpgsql STABLE AS $$
BEGIN
  IF to_regclass('pg_temp.vsg_delta') IS NOT NULL THEN
    RETURN QUERY EXECUTE 'SELECT d.key, d.before, d.after FROM pg_temp.vsg_delta d WHERE d.table_id = $1' USING tid;
  END IF;
END
$$;
