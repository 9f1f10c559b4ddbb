-- A large statement of a commit's SQL, staged packed
-- (sql/functions/write_capture.sql: an INSERT, UPDATE or DELETE of 10,000
-- rows or more, its rows copied in their own types into vsg.packing_<n>, n
-- its capture's sequence number: vsg.packed_exprs), kept as the commit's
-- rows: hash scheme 3, as a root kept as a checkpoint (docs/integrity.md).
-- When `take` and the statement is this transaction's only change of table
-- tid (no pending row of it, no other staged row untaken): the commit's seq
-- is drawn here, the copy becomes vsg.packed_<seq>, gets a unique index on
-- the key in chunk order (vsg.root_index) and is hashed by chunks of 1,024
-- rows read through it (vsg.root_chunk_hashes, their salts from a seed drawn
-- for it and never stored): a copy is written in its key's order, most often
-- (an INSERT's as the statement wrote its rows, an UPDATE's by a merge join on
-- the key: sql/functions/write_capture.sql). Returns the seq, the rows
-- inserted, updated and deleted, the table hash (vsg.table_hash3 over the
-- copy's columns and the chunk hashes),
-- the chunks (for vsg.root_chunks) and the writer's author and meta
-- settings; sql/commit/create.sql makes the commit of them. Otherwise
-- nothing: vsg.take_captured then takes the copy's rows as change rows, and
-- the commit is one of scheme 2. As vsg.take_captured, only a role that may
-- delete from vsg.pending takes (vsg.may_take).
CREATE OR REPLACE FUNCTION vsg.take_packed(tid int, take boolean)
  RETURNS TABLE (seq bigint, ins bigint, upd bigint, del bigint, hash bytea, chunks jsonb, author text, meta text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  pk record;
  s bigint;
  rel regclass;
  keys text[];
BEGIN
  IF NOT take OR current_setting('vsg.staged', true) IS DISTINCT FROM 'on' OR NOT vsg.own_temp('vsg_captured_packed') THEN
    RETURN;
  END IF;
  SELECT p.seq, p.rows, p.author, p.meta INTO pk FROM pg_temp.vsg_captured_packed p WHERE p.table_id = tid;
  IF NOT FOUND THEN
    RETURN;
  END IF;
  PERFORM vsg.may_take(tid);
  -- the statement alone: any other change of the table in this transaction
  -- is composed with it as change rows
  IF EXISTS (SELECT 1 FROM vsg.pending o WHERE o.table_id = tid AND o.xid = txid_current())
     OR (vsg.captured_own() AND EXISTS (SELECT 1 FROM pg_temp.vsg_captured c
                                       WHERE c.table_id = tid AND c.seq > CASE WHEN vsg.captured_marks() THEN vsg.captured_mark(tid) ELSE 0 END)) THEN
    RETURN;
  END IF;
  SELECT t.key_columns INTO keys FROM vsg.tracked t WHERE t.id = tid;
  s := nextval('vsg.commits_seq_seq');
  EXECUTE format('ALTER TABLE vsg.%I RENAME TO %I', 'packing_' || pk.seq, 'packed_' || s);
  rel := to_regclass(format('vsg.%I', 'packed_' || s));
  DELETE FROM pg_temp.vsg_captured_packed p WHERE p.table_id = tid;
  PERFORM vsg.root_index(rel, keys);
  -- what the rows are: all inserts, or an UPDATE's or DELETE's (vsg.packed_exprs),
  -- counted by kind in the hashing's pass (NULL for all inserts)
  RETURN QUERY
    SELECT s, coalesce(sum(h.ins), pk.rows), coalesce(sum(h.upd), 0), coalesce(sum(h.del), 0),
           vsg.table_hash3(vsg.root_header(rel), string_agg(h.hash, ''::bytea ORDER BY h.chunk)),
           jsonb_agg(jsonb_build_object('chunk', h.chunk, 'rows', h.rows, 'salt', encode(h.salt, 'hex'),
                                        'hash', encode(h.hash, 'hex'), 'first_key', h.first_key, 'last_key', h.last_key)
                     ORDER BY h.chunk),
           nullif(pk.author, ''), nullif(pk.meta, '')
    FROM vsg.root_chunk_hashes(rel, keys, vsg.statement_seed(), NULL) h;
END
$$;
