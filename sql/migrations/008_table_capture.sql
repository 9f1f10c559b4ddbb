-- Version 8: one capture function per tracked table (vsg.write_capture), and
-- the columns last recorded in history (vsg.tracked.signature).

ALTER TABLE vsg.tracked ADD COLUMN signature jsonb;
-- The transaction of vsg's own bulk write-back to this table, whose statements
-- record their rows themselves (src/engine/apply-bulk.ts).
ALTER TABLE vsg.tracked ADD COLUMN applying bigint;

-- Every tracked table that still exists gets its own capture function. Its
-- columns as last recorded: those of its latest SCHEMA commit, else those it
-- has now (a schema change made outside vsg before this upgrade cannot be
-- told apart from the state at tracking).
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT tr.id, tr.relid FROM vsg.tracked tr WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = tr.relid) LOOP
    PERFORM vsg.install_capture(t.id);
    UPDATE vsg.tracked SET signature = vsg.table_signature(t.relid) || coalesce(
      (SELECT jsonb_build_object('columns', s.after) FROM vsg.schema_changes s JOIN vsg.commits c ON c.id = s.commit_id
       WHERE s.table_id = t.id ORDER BY c.seq DESC LIMIT 1), '{}')
    WHERE id = t.id;
  END LOOP;
END
$$;

-- Every trigger now calls its table's own function: the shared one of version 1
-- is gone (a new repository never had it).
DROP FUNCTION IF EXISTS vsg.capture();
