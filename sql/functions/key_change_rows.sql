-- The change rows of key k of table tid in vsg.changes, every commit's:
-- those in changes_key (table_id, key, seq), and the root's, which `vsg
-- track` keeps out of it (root = true, sql/migrations/021_root_rows.sql),
-- through the primary key at the root commit's seq, found by the partial
-- index commits_root (sql/migrations/022_root_index.sql). Each is one index
-- probe: the cost is the key's own changes. A SQL function of one query,
-- inlined where it is called, so that a join over many keys probes each.
-- Not the root's rows still packed in its checkpoint (hash scheme 3):
-- vsg.key_changes adds the key's, vsg.root_rows_of reads many keys' at once.
CREATE OR REPLACE FUNCTION vsg.key_change_rows(tid int, k jsonb)
RETURNS TABLE (seq bigint, key jsonb, before jsonb, after jsonb, salt bytea, row_hash bytea, forgotten text[])
LANGUAGE sql STABLE AS $$
  SELECT ch.seq, ch.key, ch.before, ch.after, ch.salt, ch.row_hash, ch.forgotten
  FROM vsg.changes ch WHERE ch.table_id = tid AND ch.key = k AND ch.root IS NULL
  UNION ALL
  SELECT ch.seq, ch.key, ch.before, ch.after, ch.salt, ch.row_hash, ch.forgotten FROM vsg.changes ch
  WHERE ch.seq = (SELECT c.seq FROM vsg.commits c WHERE c.table_id = tid AND c.kind = 'ROOT' ORDER BY c.seq LIMIT 1)
    AND ch.key = k AND ch.root
$$;
