-- The checkpoint that holds the rows of the ROOT commit at seq s (hash scheme
-- 3, sql/migrations/023_root_chunks.sql), or NULL: a root of change rows, or
-- one whose checkpoint is gone (verify reports it, readers refuse).
CREATE OR REPLACE FUNCTION vsg.root_rel(s bigint) RETURNS regclass LANGUAGE sql STABLE AS $$
  SELECT to_regclass(format('vsg.%I', k.relname))
  FROM vsg.commits c JOIN vsg.checkpoints k ON k.commit_id = c.id AND k.root
  WHERE c.seq = s
$$;
