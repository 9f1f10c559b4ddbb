-- A commit's change set: its change rows, or, for a state commit, the
-- difference between its parent and it. show, rollback and blame read it.
CREATE OR REPLACE FUNCTION vsg.commit_changes(cid text) RETURNS TABLE (key jsonb, before jsonb, after jsonb) LANGUAGE plpgsql STABLE AS $$
DECLARE
  c record;
BEGIN
  SELECT x.table_id, x.parent, x.source, x.seq INTO c FROM vsg.commits x WHERE x.id = cid;
  IF c.source IS NULL THEN
    RETURN QUERY SELECT ch.key, ch.before, ch.after FROM vsg.commit_rows(c.seq) ch;
  ELSE
    RETURN QUERY SELECT d.key, d.old, d.new FROM vsg.state_diff(c.table_id, c.parent, cid, false) d;
  END IF;
END
$$;
