-- Refuses a take of table tid's staged changes (vsg.take_captured,
-- vsg.take_packed, vsg.unpack_staged) to a role that may not delete from
-- vsg.pending: a row taken is one the flush never moves to vsg.pending, so
-- that a take by any other role (EXECUTE is PUBLIC's, and an application's
-- role may have USAGE on schema vsg to read history) would hide its own change
-- from history, which it could not do to a pending row. The role asked about
-- is the one that called the take: the session's user, or the role it SET
-- ROLE to (current_user is vsg's owner in a SECURITY DEFINER function). A
-- commit's statement deletes from vsg.pending itself (sql/commit/create.sql),
-- so every role that may commit may take, with no GRANT of its own; a REVOKE
-- of EXECUTE from PUBLIC instead would have needed one for each, and a wrapper
-- that is not SECURITY DEFINER, asking current_user, would still have had to
-- call a function that anyone may call. Only a role whose code runs in the
-- session is not seen (another role's SECURITY DEFINER function): that code
-- may already do anything the session's role may, including deleting pending rows.
CREATE OR REPLACE FUNCTION vsg.may_take(tid int) RETURNS void LANGUAGE plpgsql STABLE AS $$
DECLARE
  who text := CASE current_setting('role') WHEN 'none' THEN session_user ELSE current_setting('role') END;
BEGIN
  IF NOT has_table_privilege(who, 'vsg.pending', 'DELETE') THEN
    RAISE EXCEPTION 'permission denied to take the staged changes of tracked table %: role "%" has no DELETE on vsg.pending', tid, who
      USING ERRCODE = 'insufficient_privilege',
            HINT = 'commit as a role that may write schema vsg''s tables (docs/deployment.md); untaken, the changes reach vsg.pending as the transaction commits';
  END IF;
END
$$;
