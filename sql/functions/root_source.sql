-- Where the rows of the ROOT commit at seq s are kept, for the readers of a
-- root of hash scheme 3 (vsg.root_rows, vsg.root_row, vsg.root_unpack): its
-- table, the checkpoint holding them and the table's key columns; all NULL
-- for any other commit. A checkpoint that is gone is an error, never an empty
-- root (vsg verify reports it as root_checkpoint).
CREATE OR REPLACE FUNCTION vsg.root_source(s bigint, OUT table_id int, OUT rel regclass, OUT key_columns text[])
LANGUAGE plpgsql STABLE AS $$
BEGIN
  SELECT c.table_id, to_regclass(format('vsg.%I', ck.relname)), t.key_columns INTO table_id, rel, key_columns
  FROM vsg.commits c JOIN vsg.checkpoints ck ON ck.commit_id = c.id AND ck.root JOIN vsg.tracked t ON t.id = c.table_id
  WHERE c.seq = s;
  IF table_id IS NOT NULL AND rel IS NULL THEN
    RAISE EXCEPTION 'vsg: the checkpoint holding the rows of root commit #% is gone', s
      USING ERRCODE = 'XX001', HINT = 'vsg verify reports it; restore the vsg schema from a backup';
  END IF;
END
$$;
