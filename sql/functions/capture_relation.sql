-- The relation whose writes table tid's capture triggers watch: the table
-- itself, or, for a Citus reference table (pg_dist_partition: partmethod 'n',
-- repmodel 't'), its placement on this node (pg_dist_placement of this node's
-- group, pg_dist_local_group), NULL if there is none. Citus writes every
-- change of a reference table to every placement, whichever node starts it,
-- and the coordinator's placement in the writing session when it starts it
-- (local execution): the triggers there see each write once, in the
-- transaction that made it, and write vsg.pending where it lives. Citus's
-- catalog is read through EXECUTE, so this compiles where Citus is absent.
CREATE OR REPLACE FUNCTION vsg.capture_relation(tid int) RETURNS regclass LANGUAGE plpgsql STABLE AS $$
DECLARE
  rel oid;
  placement regclass;
  reference boolean;
BEGIN
  SELECT t.relid INTO STRICT rel FROM vsg.tracked t WHERE t.id = tid;
  IF pg_catalog.to_regclass('pg_catalog.pg_dist_partition') IS NULL THEN
    RETURN rel::regclass;
  END IF;
  EXECUTE $q$
    SELECT p.partmethod = 'n' AND p.repmodel = 't',
           (SELECT pg_catalog.to_regclass(pg_catalog.shard_name(s.logicalrelid, s.shardid))
            FROM pg_catalog.pg_dist_shard s
            JOIN pg_catalog.pg_dist_placement pl ON pl.shardid = s.shardid
            WHERE s.logicalrelid = p.logicalrelid
              AND p.partmethod = 'n' AND p.repmodel = 't' -- (one shard: a distributed table may have several here)
              AND pl.groupid = (SELECT g.groupid FROM pg_catalog.pg_dist_local_group g))
    FROM pg_catalog.pg_dist_partition p WHERE p.logicalrelid = $1$q$
    INTO reference, placement USING rel;
  RETURN CASE WHEN reference THEN placement ELSE rel::regclass END;
END
$$;
