-- The change rows of key k of table tid, every commit's: those in changes_key
-- (table_id, key, seq), and the root's, which `vsg track` keeps out of it
-- (root = true, sql/migrations/021_root_rows.sql), through the primary key at
-- the root commit's seq, found by the partial index commits_root
-- (sql/migrations/022_root_index.sql); where the root's rows are a checkpoint
-- (hash scheme 3), the key's row there (vsg.root_row), behind one probe of
-- vsg.root_chunks that a root of change rows stops at. Each is one index
-- probe: the cost is the key's own changes. A SQL function of one query,
-- inlined where it is called, so that a join over many keys probes each.
CREATE OR REPLACE FUNCTION vsg.key_changes(tid int, k jsonb)
RETURNS TABLE (seq bigint, key jsonb, before jsonb, after jsonb, salt bytea, row_hash bytea, forgotten text[])
LANGUAGE sql STABLE AS $$
  SELECT ch.seq, ch.key, ch.before, ch.after, ch.salt, ch.row_hash, ch.forgotten
  FROM vsg.changes ch WHERE ch.table_id = tid AND ch.key = k AND ch.root IS NULL
  UNION ALL
  SELECT ch.seq, ch.key, ch.before, ch.after, ch.salt, ch.row_hash, ch.forgotten FROM vsg.changes ch
  WHERE ch.seq = (SELECT c.seq FROM vsg.commits c WHERE c.table_id = tid AND c.kind = 'ROOT' ORDER BY c.seq LIMIT 1)
    AND ch.key = k AND ch.root
  UNION ALL
  SELECT r0.seq, r.key, r.before, r.after, r.salt, r.row_hash, r.forgotten
  FROM (SELECT c.seq FROM vsg.commits c WHERE c.table_id = tid AND c.kind = 'ROOT' ORDER BY c.seq LIMIT 1) r0
  CROSS JOIN LATERAL vsg.root_row(r0.seq, k) r
  WHERE EXISTS (SELECT 1 FROM vsg.root_chunks rc WHERE rc.seq = r0.seq)
$$;
