-- The checkpoint that holds the rows of root commit cid (hash scheme 3), with
-- the key columns as they were named then (from the checkpoint's recorded
-- signature); no row for any other commit.
CREATE OR REPLACE FUNCTION vsg.root_checkpoint(cid text) RETURNS TABLE (relname text, key_columns text[]) LANGUAGE sql STABLE AS $$
  SELECT k.relname,
         ARRAY(SELECT c->>'name'
               FROM jsonb_array_elements(k.signature->'key') WITH ORDINALITY AS n(num, i)
               JOIN jsonb_array_elements(k.signature->'columns') c ON (c->>'num')::int = n.num::int
               ORDER BY n.i)
  FROM vsg.commits x JOIN vsg.checkpoints k ON k.commit_id = x.id
  WHERE x.id = cid AND x.hash_scheme = 3
$$;
