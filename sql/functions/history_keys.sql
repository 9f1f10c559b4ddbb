-- Keys as vsg.history_key takes them, many at once (`vsg forget` of many
-- keys, in one statement rather than one a key): per key (n, from 1) its
-- canonical form for the history tid, or the message of the error that
-- refused it (a value its column's type does not take, a column missing).
CREATE OR REPLACE FUNCTION vsg.history_keys(tid int, keys jsonb[]) RETURNS TABLE (n int, key jsonb, error text)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  k jsonb;
BEGIN
  n := 0;
  FOREACH k IN ARRAY coalesce(keys, '{}') LOOP
    n := n + 1;
    key := NULL;
    error := NULL;
    BEGIN
      key := vsg.history_key(tid, k);
    EXCEPTION WHEN OTHERS THEN
      error := SQLERRM;
    END;
    RETURN NEXT;
  END LOOP;
END
$$;
