-- The change rows of the commit at seq s: what each reader of one commit's
-- change set reads (show and log -p through vsg.commit_changes, the paths of
-- vsg.state_diff and vsg.state_diff_key, blame's walk of a branch, a Citus
-- rollback's keys), as vsg.key_changes is for one key's. Readers of the whole
-- history (verify, prune, counts) read vsg.changes themselves. A SQL function
-- of one query, inlined where it is called, so that each call is the primary
-- key's range (seq, key) of that commit; and, for a ROOT commit whose rows
-- are a checkpoint (hash scheme 3, vsg.root_rows), the rows still packed there,
-- behind one probe of vsg.root_chunks that every other commit stops at.
CREATE OR REPLACE FUNCTION vsg.commit_rows(s bigint)
RETURNS TABLE (table_id int, key jsonb, before jsonb, after jsonb, salt bytea, row_hash bytea, forgotten text[])
LANGUAGE sql STABLE AS $$
  SELECT ch.table_id, ch.key, ch.before, ch.after, ch.salt, ch.row_hash, ch.forgotten
  FROM vsg.changes ch WHERE ch.seq = s
  UNION ALL
  SELECT r.table_id, r.key, r.before, r.after, r.salt, r.row_hash, r.forgotten
  FROM vsg.root_rows(s) r WHERE EXISTS (SELECT 1 FROM vsg.root_chunks rc WHERE rc.seq = s)
$$;
