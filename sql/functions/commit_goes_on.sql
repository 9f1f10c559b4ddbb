-- Whether a commit of SQL to table tid may go on past its commit statement
-- in this transaction, asked once the SQL ran (sql/tables/lock_shared.sql),
-- so that it must not send that statement with its COMMIT (ops/commit.ts,
-- vsg.final_commit): a statement of the SQL was large enough to be staged in
-- the session (vsg.captured_table: 1,000 rows or more, after which a
-- checkpoint may follow), other writers have uncommitted rows of the table
-- (two probes of pending_xid either side of this transaction, as
-- sql/commit/create.sql looks first: their earlier changes to the same rows
-- are recorded before the commit), or the SQL captured no row (nothing to
-- commit is a refusal). PL/pgSQL, so that its reads see the rows the SQL's
-- capture wrote earlier in the statement that asks (a query of that
-- statement itself would not).
CREATE OR REPLACE FUNCTION vsg.commit_goes_on(tid int) RETURNS boolean LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RETURN coalesce(current_setting('vsg.staged', true) = 'on', false)
    OR EXISTS (SELECT 1 FROM vsg.pending o WHERE o.table_id = tid AND o.xid < txid_current())
    OR EXISTS (SELECT 1 FROM vsg.pending o WHERE o.table_id = tid AND o.xid > txid_current())
    OR NOT EXISTS (SELECT 1 FROM vsg.pending o WHERE o.table_id = tid AND o.xid = txid_current());
END
$$;
