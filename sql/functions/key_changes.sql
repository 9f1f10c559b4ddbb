-- The change rows of key k of table tid, every commit's: those in vsg.changes
-- (vsg.key_change_rows) and, where the root's rows are a checkpoint (hash
-- scheme 3), the key's row there (vsg.root_row), behind one probe of
-- vsg.root_chunks that a root of change rows stops at; and the key's row in
-- the copy of each large statement kept packed (sql/functions/take_packed.sql),
-- every copy of the table probed by one query (vsg.packed_key_rows, not called
-- for a table that has none; pruned ones have no chunks left, and are passed
-- over). Each is one index probe:
-- the cost is the key's own changes, and one probe a packed commit. A SQL function of one query,
-- inlined where it is called (and vsg.key_change_rows in it), so that a join
-- over many keys probes each; the checkpoint's row costs a query of its own
-- for each key, so that a statement over many keys reads the packed root's
-- rows of them all at once instead (vsg.root_rows_of, sql/forget/check.sql).
CREATE OR REPLACE FUNCTION vsg.key_changes(tid int, k jsonb)
RETURNS TABLE (seq bigint, key jsonb, before jsonb, after jsonb, salt bytea, row_hash bytea, forgotten text[])
LANGUAGE sql STABLE AS $$
  SELECT kc.seq, kc.key, kc.before, kc.after, kc.salt, kc.row_hash, kc.forgotten FROM vsg.key_change_rows(tid, k) kc
  UNION ALL
  SELECT r0.seq, r.key, r.before, r.after, r.salt, r.row_hash, r.forgotten
  FROM (SELECT c.seq FROM vsg.commits c WHERE c.table_id = tid AND c.kind = 'ROOT' ORDER BY c.seq LIMIT 1) r0
  CROSS JOIN LATERAL vsg.root_row(r0.seq, k) r
  WHERE EXISTS (SELECT 1 FROM vsg.root_chunks rc WHERE rc.seq = r0.seq)
  UNION ALL
  SELECT r.seq, r.key, r.before, r.after, NULL::bytea, NULL::bytea, NULL::text[] FROM vsg.packed_key_rows(tid, k) r
  WHERE EXISTS (SELECT 1 FROM vsg.commits p WHERE p.table_id = tid AND p.hash_scheme = 3 AND p.kind <> 'ROOT')
$$;
