-- The tracked tables this transaction changed, as their ids in order, joined
-- by commas ('' for none): those with rows of this transaction in vsg.pending
-- (as sql/pending/tables_changed.sql finds them, one index probe a table) and
-- those whose large statements were staged in the session
-- (pg_temp.vsg_captured, as vsg's owner: see vsg.captured_table). A commit
-- that names no table runs its SQL and asks this in one statement
-- (sql/tables/lock_shared.sql $6): `ran` is the SQL's having run, taken as an
-- argument so that this is called after it, with a snapshot that sees it.
CREATE OR REPLACE FUNCTION vsg.changed_tables(ran boolean) RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  staged int[] := '{}';
BEGIN
  IF NOT ran THEN
    RETURN NULL;
  END IF;
  IF vsg.captured_own() THEN
    EXECUTE 'SELECT coalesce(array_agg(DISTINCT c.table_id), ''{}'') FROM pg_temp.vsg_captured c' INTO staged;
  END IF;
  RETURN coalesce((SELECT string_agg(t.id::text, ',' ORDER BY t.id) FROM vsg.tracked t
                   WHERE t.id = ANY (staged)
                      OR EXISTS (SELECT 1 FROM vsg.pending p WHERE p.table_id = t.id AND p.xid = txid_current())), '');
END
$$;
