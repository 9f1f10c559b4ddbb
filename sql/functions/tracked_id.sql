-- The table tracked now behind a relation, or an error naming it.
CREATE OR REPLACE FUNCTION vsg.tracked_id(tbl regclass) RETURNS int LANGUAGE plpgsql STABLE AS $$
DECLARE
  tid int;
BEGIN
  SELECT t.id INTO tid FROM vsg.tracked t WHERE t.relid = tbl::oid AND t.untracked_at IS NULL;
  IF tid IS NULL THEN
    RAISE EXCEPTION 'vsg: table % is not tracked', tbl USING ERRCODE = '22023';
  END IF;
  RETURN tid;
END
$$;
