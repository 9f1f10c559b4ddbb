-- The large statements staged packed in this transaction (vsg.packing_<n>, one a
-- table at most: sql/functions/write_capture.sql) of table tid, or of every
-- table (tid NULL), that no commit keeps packed (vsg.take_packed), as the
-- captured changes they are: returned (a commit takes them as change rows,
-- vsg.take_captured) or, with `flush`, moved into vsg.pending under their
-- capture's sequence number (vsg.flush_captured, as the transaction commits).
-- Each copy is dropped and its note deleted: a savepoint rolled back brings
-- both back, with the rows. Returned, they leave the flush's reach: only a
-- role that may take staged changes (vsg.may_take) has them returned.
CREATE OR REPLACE FUNCTION vsg.unpack_staged(tid int, flush boolean)
  RETURNS TABLE (seq bigint, key jsonb, before jsonb, after jsonb, author text, meta text)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
  pk record;
  rel regclass;
BEGIN
  IF NOT vsg.own_temp('vsg_captured_packed') THEN
    RETURN;
  END IF;
  FOR pk IN DELETE FROM pg_temp.vsg_captured_packed p WHERE tid IS NULL OR p.table_id = tid
            RETURNING p.table_id, p.seq, p.author, p.meta LOOP
    IF NOT flush THEN
      PERFORM vsg.may_take(pk.table_id);
    END IF;
    rel := to_regclass(format('vsg.%I', 'packing_' || pk.seq));
    IF flush THEN
      INSERT INTO vsg.pending (seq, table_id, key, before, after, author, meta)
      SELECT pk.seq, pk.table_id, i.key, i.before, i.after, pk.author, pk.meta
      FROM vsg.packed_images(rel, (SELECT t.key_columns FROM vsg.tracked t WHERE t.id = pk.table_id), true) i;
    ELSE
      RETURN QUERY SELECT pk.seq, i.key, i.before, i.after, pk.author, pk.meta
        FROM vsg.packed_images(rel, (SELECT t.key_columns FROM vsg.tracked t WHERE t.id = pk.table_id), true) i;
    END IF;
    EXECUTE format('DROP TABLE %s', rel);
  END LOOP;
END
$$;
