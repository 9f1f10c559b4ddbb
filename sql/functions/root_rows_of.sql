-- The rows of keys ks among the rows of a commit of hash scheme 3 still
-- packed in its copy, as vsg.root_rows gives each (no salt or row hash of
-- its own), each beside the key asked (`asked`, as given;
-- `key` is the checkpoint's own image of it): one query for every key, each
-- one probe of the checkpoint's key index, compared in the key columns' own
-- types (vsg.root_key_typed). A key the root's key columns cannot hold (their
-- type changed since, or an untracked history's key as typed) holds no row.
-- Nothing for any other commit. vsg.root_row reads one key's; `vsg forget`
-- reads those of all the keys it forgets at once (sql/forget/check.sql,
-- vsg.root_unpack).
CREATE OR REPLACE FUNCTION vsg.root_rows_of(s bigint, ks jsonb[])
RETURNS TABLE (asked jsonb, table_id int, key jsonb, before jsonb, after jsonb, salt bytea, row_hash bytea, forgotten text[])
LANGUAGE plpgsql STABLE
  SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
  SET extra_float_digits = 3 SET bytea_output = 'hex'
AS $$
DECLARE
  tid int;
  rel regclass;
  keys text[];
  typed text;
  held jsonb[];
  k jsonb;
  b text;
  a text;
BEGIN
  SELECT x.table_id, x.rel, x.key_columns INTO tid, rel, keys FROM vsg.root_source(s) x;
  IF tid IS NULL OR cardinality(ks) IS NULL THEN
    RETURN;
  END IF;
  typed := vsg.root_key_typed(rel, keys, 'k.k');
  -- the keys the key columns can hold: all of them, but for a text form a column's type does not take
  -- (found first: rows returned before a failed cast would stay in the result)
  held := ks;
  BEGIN
    EXECUTE format('SELECT count(*) FROM unnest($1) AS k(k) WHERE ROW(%s) IS NULL', typed) USING ks;
  EXCEPTION WHEN data_exception THEN
    held := '{}';
    FOREACH k IN ARRAY ks LOOP
      BEGIN
        EXECUTE format('SELECT count(*) FROM unnest($1) AS k(k) WHERE ROW(%s) IS NULL', typed) USING ARRAY[k];
        held := array_append(held, k);
      EXCEPTION WHEN data_exception THEN
        NULL;
      END;
    END LOOP;
  END;
  SELECT x.before, x.after INTO b, a FROM vsg.packed_exprs(rel, keys, 'r') x;
  RETURN QUERY EXECUTE format('SELECT k.k, $1, %s, %s, %s, NULL::bytea, NULL::bytea, NULL::text[]
                               FROM unnest($2) AS k(k) JOIN %s r ON ROW(%s) = ROW(%s)',
                              vsg.key_expr(keys, 'r'), b, a, rel, vsg.root_key_order(rel, keys, 'r'), typed)
    USING tid, held;
END
$$;
