-- The copy that holds the rows of the commit at seq s where they are packed
-- (hash scheme 3, sql/migrations/023_root_chunks.sql): a ROOT's checkpoint,
-- any other commit's vsg.packed_<seq> (sql/migrations/025_packed_commits.sql);
-- NULL for a commit of change rows, or where the copy is gone (verify reports
-- it, readers refuse).
CREATE OR REPLACE FUNCTION vsg.root_rel(s bigint) RETURNS regclass LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN c.kind = 'ROOT'
              THEN (SELECT to_regclass(format('vsg.%I', k.relname)) FROM vsg.checkpoints k WHERE k.commit_id = c.id AND k.root)
              ELSE to_regclass(format('vsg.%I', 'packed_' || s)) END
  FROM vsg.commits c
  WHERE c.seq = s AND c.hash_scheme = 3
$$;
