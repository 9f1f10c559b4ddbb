-- The tracked tables this transaction changed, as their ids in order, joined
-- by commas ('' for none): those with rows of this transaction in vsg.pending
-- (one index probe a table) and those whose large statements were staged in the session
-- and not yet taken (pg_temp.vsg_captured and pg_temp.vsg_captured_packed, as vsg's owner: see
-- vsg.captured_table, and vsg.take_captured for the marks). A commit
-- that names no table runs its SQL and asks this in one statement
-- (sql/tables/lock_shared.sql $6): `ran` is the SQL's having run, taken as an
-- argument so that this is called after it, with a snapshot that sees it.
-- A commit naming no table whose SQL or work runs on its own asks this after
-- it (sql/pending/touched_tables.sql). Only the tables the captures ran for
-- are probed, where they listed them (vsg.touched, started by
-- vsg.touch_start), so that the commit's cost follows the tables it changed
-- and not the number tracked; every tracked table where they could not (the
-- transaction wrote before, or Citus captures on its workers). The list is
-- emptied here.
CREATE OR REPLACE FUNCTION vsg.changed_tables(ran boolean) RETURNS text
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  touched text := current_setting('vsg.touched', true);
  probe int[];
  staged int[] := '{}';
  changed int[] := '{}';
  tid int;
BEGIN
  IF NOT ran THEN
    RETURN NULL;
  END IF;
  IF left(touched, 1) = ',' THEN
    probe := (SELECT coalesce(array_agg(DISTINCT x::int ORDER BY x::int), '{}') FROM unnest(string_to_array(trim(BOTH ',' FROM touched), ',')) x);
    PERFORM set_config('vsg.touched', '', true);
  ELSE
    probe := ARRAY(SELECT t.id FROM vsg.tracked t ORDER BY t.id);
  END IF;
  IF cardinality(probe) > 0 AND current_setting('vsg.staged', true) = 'on' AND vsg.captured_own() THEN
    IF vsg.captured_marks() THEN
      -- (a table has rows no commit took when its last staged number is above
      -- its mark: vsg.take_captured)
      EXECUTE 'SELECT coalesce(array_agg(s.table_id), ''{}'')
               FROM (SELECT c.table_id, max(c.seq) AS last FROM pg_temp.vsg_captured c GROUP BY c.table_id) s
               WHERE s.last > vsg.captured_mark(s.table_id)' INTO staged;
    ELSE
      EXECUTE 'SELECT coalesce(array_agg(DISTINCT c.table_id), ''{}'') FROM pg_temp.vsg_captured c' INTO staged;
    END IF;
    -- (and those whose large statement was staged packed and not yet taken:
    -- vsg.packing_<n>, which writes no row to pg_temp.vsg_captured)
    IF vsg.own_temp('vsg_captured_packed') THEN
      staged := staged || ARRAY(SELECT p.table_id FROM pg_temp.vsg_captured_packed p);
    END IF;
  END IF;
  -- (one probe at a time: a query over them all is planned for their number)
  FOREACH tid IN ARRAY probe LOOP
    IF tid = ANY (staged) OR EXISTS (SELECT 1 FROM vsg.pending p WHERE p.table_id = tid AND p.xid = txid_current()) THEN
      changed := changed || tid;
    END IF;
  END LOOP;
  RETURN array_to_string(changed, ',');
END
$$;
