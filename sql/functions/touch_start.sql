-- Start a commit naming no table, before its SQL or its work runs: every
-- table's large statements are staged for it (vsg.stage ',*,': see
-- vsg.run_statement), and the list of tables it touches (vsg.touched, see
-- vsg.touch) is started: ',' where the transaction has written nothing yet;
-- where it has (its xid is assigned), rows it wrote before could be in any
-- table, and the list is left empty, so that vsg.changed_tables probes every
-- tracked table. Returns the list.
CREATE OR REPLACE FUNCTION vsg.touch_start() RETURNS text LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM set_config('vsg.stage', ',*,', true);
  RETURN set_config('vsg.touched', CASE WHEN txid_current_if_assigned() IS NULL THEN ',' ELSE '' END, true);
END
$$;
