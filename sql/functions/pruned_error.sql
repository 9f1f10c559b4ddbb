-- Raised where history that `vsg prune` dropped would be read (docs/prune.md):
-- SQLSTATE VP001, which vsg reports as E_PRUNED (exit 7), never wrong data.
-- Returns text so that it can stand in a CASE where an id is expected.
CREATE OR REPLACE FUNCTION vsg.pruned_error(id text) RETURNS text LANGUAGE plpgsql STABLE AS $$
BEGIN
  RAISE EXCEPTION 'vsg: commit % was pruned: its changes are no longer stored', left(id, 7)
    USING ERRCODE = 'VP001', DETAIL = id, HINT = 'read history from the prune''s boundary on (vsg log shows it)';
END
$$;
