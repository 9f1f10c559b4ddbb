-- The rows of a ROOT commit of hash scheme 3 still packed in its checkpoint
-- (sql/migrations/023_root_chunks.sql), as change rows: every row an insert,
-- key and image as vsg.key_expr and vsg.image_expr build them from the
-- checkpoint's own columns, no salt or row hash of their own (their chunk
-- vouches for them). Nothing for any other commit. vsg.root_row reads one
-- key's (sql/functions/root_row.sql). A root's rows that
-- `vsg forget` unpacked are change rows in vsg.changes, as a root of scheme 2
-- has them: vsg.commit_rows and vsg.key_changes read both.
-- PL/pgSQL for the checkpoint's name and columns, under vsg's fixed settings
-- for text forms (the images were those of vsg's own session at `vsg track`).
CREATE OR REPLACE FUNCTION vsg.root_rows(s bigint)
RETURNS TABLE (table_id int, key jsonb, before jsonb, after jsonb, salt bytea, row_hash bytea, forgotten text[])
LANGUAGE plpgsql STABLE
  SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
  SET extra_float_digits = 3 SET bytea_output = 'hex'
AS $$
DECLARE
  tid int;
  rel regclass;
  keys text[];
  b text;
  a text;
BEGIN
  SELECT x.table_id, x.rel, x.key_columns INTO tid, rel, keys FROM vsg.root_source(s) x;
  IF tid IS NULL THEN
    RETURN;
  END IF;
  SELECT x.before, x.after INTO b, a FROM vsg.packed_exprs(rel, keys, 'r') x;
  RETURN QUERY EXECUTE format('SELECT $1, %s, %s, %s, NULL::bytea, NULL::bytea, NULL::text[] FROM %s r',
                              vsg.key_expr(keys, 'r'), b, a, rel) USING tid;
END
$$;
