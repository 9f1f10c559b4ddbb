-- The rows of an UPDATE's or DELETE's copy `rel` (vsg.packed_sided) by kind:
-- inserted, updated, deleted ("vsg:op"), read from the copy. For the commit's
-- counts (vsg.take_packed) and verify's (vsg.packed_counts).
CREATE OR REPLACE FUNCTION vsg.packed_kinds(rel regclass, OUT ins bigint, OUT upd bigint, OUT del bigint) LANGUAGE plpgsql STABLE AS $$
BEGIN
  EXECUTE format($c$SELECT count(*) FILTER (WHERE r."vsg:op" = 'I'), count(*) FILTER (WHERE r."vsg:op" = 'U'),
                           count(*) FILTER (WHERE r."vsg:op" = 'D') FROM %s r$c$, rel) INTO ins, upd, del;
END
$$;
