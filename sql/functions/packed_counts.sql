-- The rows of the commit at seq s kept packed (hash scheme 3), counted as
-- vsg verify recomputes a commit's counts (sql/verify/commits.sql): a copy of
-- an UPDATE's or DELETE's rows (`sided`: vsg.packed_exprs) by its "vsg:op",
-- the rows still in it (those `vsg forget` unpacked are change rows, counted
-- with them); else every row an insert, as many as its chunks hold, packed or
-- unpacked.
CREATE OR REPLACE FUNCTION vsg.packed_counts(s bigint, OUT ins bigint, OUT upd bigint, OUT del bigint, OUT sided boolean)
LANGUAGE plpgsql STABLE AS $$
DECLARE
  rel regclass := vsg.root_rel(s);
BEGIN
  IF rel IS NOT NULL AND vsg.packed_sided(rel) THEN
    SELECT k.ins, k.upd, k.del INTO ins, upd, del FROM vsg.packed_kinds(rel) k;
    sided := true;
  ELSE
    ins := coalesce((SELECT sum(rc.rows) FROM vsg.root_chunks rc WHERE rc.seq = s), 0);
    upd := 0;
    del := 0;
    sided := false;
  END IF;
END
$$;
