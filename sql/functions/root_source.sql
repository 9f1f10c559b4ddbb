-- Where the rows of the commit at seq s are kept when they are packed (hash
-- scheme 3), for their readers (vsg.root_rows, vsg.root_row, vsg.root_unpack):
-- its table, the copy holding them and the table's key columns; all NULL for
-- any other commit, and for a pruned one (its copy went with its rows). A
-- ROOT's copy is its checkpoint (vsg.checkpoints.root); a large statement's
-- is vsg.packed_<seq> (sql/functions/take_packed.sql). A copy that is gone is
-- an error, never an empty commit (vsg verify reports it as root_checkpoint).
CREATE OR REPLACE FUNCTION vsg.root_source(s bigint, OUT table_id int, OUT rel regclass, OUT key_columns text[])
LANGUAGE plpgsql STABLE AS $$
DECLARE
  root boolean;
BEGIN
  SELECT c.table_id, vsg.root_rel(s), t.key_columns, c.kind = 'ROOT' INTO table_id, rel, key_columns, root
  FROM vsg.commits c JOIN vsg.tracked t ON t.id = c.table_id
  WHERE c.seq = s AND c.hash_scheme = 3 AND c.pruned IS NULL;
  IF table_id IS NOT NULL AND rel IS NULL THEN
    RAISE EXCEPTION 'vsg: the % holding the rows of % #% is gone',
                    CASE WHEN root THEN 'checkpoint' ELSE 'copy' END, CASE WHEN root THEN 'root commit' ELSE 'commit' END, s
      USING ERRCODE = 'XX001', HINT = 'vsg verify reports it; restore the vsg schema from a backup';
  END IF;
END
$$;
