-- Start the list of tables that a commit naming no table touches
-- (vsg.touched, see vsg.touch), before its SQL or its work runs: ',' where the
-- transaction has written nothing yet; where it has (its xid is assigned),
-- rows it wrote before could be in any table, and the list is left empty, so
-- that vsg.changed_tables probes every tracked table. Returns the list.
CREATE OR REPLACE FUNCTION vsg.touch_start() RETURNS text LANGUAGE sql VOLATILE AS $$
  SELECT set_config('vsg.touched', CASE WHEN txid_current_if_assigned() IS NULL THEN ',' ELSE '' END, true)
$$;
