-- The changes of table tid that this transaction's capture staged for the
-- commit being made (vsg.captured_table), taken when `take`: returned, and
-- marked taken in pg_temp.vsg_captured_taken, as sql/commit/create.sql deletes
-- the pending rows it takes. None when nothing was staged (the usual case:
-- only a large statement of a commit's own SQL is).
-- A mark is one row: the table, and the session's last number drawn from
-- vsg.pending's sequence. Every row staged so far bears that number or a lower
-- one, every row staged later a higher one (a staged statement draws its
-- number before it writes). Every reader of the staged rows (a second take,
-- vsg.captured_keys, vsg.changed_tables, vsg.flush_captured) leaves out those
-- at or below their table's mark. A mark is a row of the transaction: it goes
-- with a savepoint rolled back, as the rows do. Marking spares deleting every
-- row taken (docs/performance.md, "Large commits"). Where the marks cannot be
-- trusted (a table of that name made by another role: vsg.captured_marks) the
-- rows taken are deleted.
-- Only a role that may delete from vsg.pending takes: a row taken is one the
-- flush never moves to vsg.pending, so that a take by any other role (EXECUTE
-- is PUBLIC's, and an application's role may have USAGE on schema vsg to read
-- history) would hide its own change from history, which it could not do to a
-- pending row. The role asked about is the one that called this: the session's
-- user, or the role it SET ROLE to (current_user is vsg's owner in here). A
-- commit's statement deletes from vsg.pending itself (sql/commit/create.sql),
-- so every role that may commit may take, with no GRANT of its own; a REVOKE
-- of EXECUTE from PUBLIC instead would have needed one for each, and a wrapper
-- that is not SECURITY DEFINER, asking current_user, would still have had to
-- call a function that anyone may call. Only a role whose code runs in the
-- session is not seen (another role's SECURITY DEFINER function): that code
-- may already do anything the session's role may, including deleting pending rows.
CREATE OR REPLACE FUNCTION vsg.take_captured(tid int, take boolean)
  RETURNS TABLE (seq bigint, key jsonb, before jsonb, after jsonb, author text, meta text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  upto bigint;
  n bigint;
  who text;
BEGIN
  IF take AND current_setting('vsg.staged', true) = 'on' AND vsg.captured_own() THEN
    who := CASE current_setting('role') WHEN 'none' THEN session_user ELSE current_setting('role') END;
    IF NOT has_table_privilege(who, 'vsg.pending', 'DELETE') THEN
      RAISE EXCEPTION 'permission denied to take the staged changes of tracked table %: role "%" has no DELETE on vsg.pending', tid, who
        USING ERRCODE = 'insufficient_privilege',
              HINT = 'commit as a role that may write schema vsg''s tables (docs/deployment.md); untaken, the changes reach vsg.pending as the transaction commits';
    END IF;
    -- a large statement staged packed that the commit does not keep packed
    -- (vsg.take_packed, asked first): its rows, as change rows
    RETURN QUERY SELECT u.seq, u.key, u.before, u.after, u.author, u.meta FROM vsg.unpack_staged(tid, false) u;
    IF NOT vsg.captured_marks() THEN
      RETURN QUERY DELETE FROM pg_temp.vsg_captured c WHERE c.table_id = tid
        RETURNING c.seq, c.key, c.before, c.after, c.author, c.meta;
      RETURN;
    END IF;
    upto := vsg.captured_mark(tid);
    RETURN QUERY SELECT c.seq, c.key, c.before, c.after, c.author, c.meta
      FROM pg_temp.vsg_captured c WHERE c.table_id = tid AND c.seq > upto;
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n > 0 THEN
      INSERT INTO pg_temp.vsg_captured_taken (table_id, upto) VALUES (tid, currval('vsg.pending_seq_seq'));
    END IF;
  END IF;
END
$$;
