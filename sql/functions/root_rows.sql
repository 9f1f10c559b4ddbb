-- The rows of a commit of hash scheme 3 still packed in its copy (a ROOT's
-- checkpoint, sql/migrations/023_root_chunks.sql; a large statement's
-- vsg.packed_<seq>, sql/migrations/025_packed_commits.sql), as change rows:
-- key and images as vsg.key_expr and vsg.packed_exprs build them from the
-- copy's own columns (a root's or an INSERT's rows are inserts), no salt or
-- row hash of their own (their chunk vouches for them). Nothing for any other
-- commit. vsg.root_row reads one key's (sql/functions/root_row.sql). Rows that
-- `vsg forget` unpacked are change rows in vsg.changes, as a commit of scheme
-- 2 has them: vsg.commit_rows and vsg.key_changes read both.
-- PL/pgSQL for the copy's name and columns, under vsg's fixed settings for
-- text forms (the images were those of vsg's own session when it was made).
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
