-- The row of key k in the copy of each large statement of table tid kept
-- packed (hash scheme 3, vsg.packed_<seq>: sql/functions/take_packed.sql), as
-- vsg.root_row gives one copy's (no salt or row hash of its own), for every
-- such commit in one query. The copies are listed by the partial index
-- commits_packed (a pruned commit's, or one whose chunks are all unpacked,
-- passed over) and grouped by the types of their key columns, in which k and
-- their first and last keys are compared: a copy whose keys lie all below or
-- all above k (the first key of its first chunk still packed, the last key of
-- its last: vsg.root_chunks) cannot hold it and is passed over. The others
-- are grouped by their columns, so that each group's expressions are built
-- once (vsg.packed_exprs: copies made under the same columns read alike), and
-- one statement probes the key index of each. A copy whose key columns
-- cannot hold k (their type changed since) holds no row; one whose chunks
-- have no last key (hashed before schema version 26) is always probed.
-- vsg.key_changes reads it: a key's history costs one probe of each copy
-- whose keys span it (a job that commits many large batches keeps a copy for
-- each; of a backfill by ranges of the key, one or two span a key), and for
-- each of the table's copies, its key columns' types read from the catalog
-- and two probes of vsg.root_chunks.
-- ROWS 1 as vsg.root_row; PL/pgSQL, never inlined. No parallel plan: its
-- workers would open every copy again (a 300-way probe took 64 ms in
-- parallel, 10.5 ms in the backend alone).
CREATE OR REPLACE FUNCTION vsg.packed_key_rows(tid int, k jsonb)
RETURNS TABLE (seq bigint, key jsonb, before jsonb, after jsonb)
LANGUAGE plpgsql STABLE ROWS 1
  SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
  SET extra_float_digits = 3 SET bytea_output = 'hex' SET max_parallel_workers_per_gather = 0
AS $$
DECLARE
  keys text[];
  g record;
  h record;
  typed text;
  b text;
  a text;
  ke text;
  ord text;
  probes text[] := '{}';
BEGIN
  SELECT t.key_columns INTO keys FROM vsg.tracked t WHERE t.id = tid;
  ke := vsg.key_expr(keys, 'r');
  -- the copies, by the types of their key columns (what the key and their first and last keys are compared in)
  FOR g IN
    SELECT array_agg(x.seq ORDER BY x.seq) AS seqs, array_agg(x.rel ORDER BY x.seq) AS rels
    FROM (SELECT p.seq, to_regclass(format('vsg.%I', 'packed_' || p.seq)) AS rel
          FROM vsg.commits p
          WHERE p.table_id = tid AND p.hash_scheme = 3 AND p.kind <> 'ROOT' AND p.pruned IS NULL
            AND EXISTS (SELECT 1 FROM vsg.root_chunks rc WHERE rc.seq = p.seq)) x
    GROUP BY (SELECT string_agg(format('%s %s %s', at.atttypid, at.atttypmod, at.attcollation), ', ' ORDER BY k.n)
              FROM unnest(keys) WITH ORDINALITY AS k(c, n)
              JOIN pg_catalog.pg_attribute at ON at.attrelid = x.rel AND at.attname = k.c AND at.attnum > 0 AND NOT at.attisdropped)
  LOOP
    IF array_position(g.rels, NULL) IS NOT NULL THEN
      -- a copy that is gone: the error vsg.root_row raises for it
      PERFORM vsg.root_source(g.seqs[array_position(g.rels, NULL)]);
    END IF;
    typed := vsg.root_key_typed(g.rels[1], keys, '$1');
    CONTINUE WHEN typed IS NULL;
    BEGIN
      EXECUTE format('SELECT ROW(%s) IS NULL', typed) USING k;
    EXCEPTION WHEN data_exception THEN
      CONTINUE;
    END;
    -- those whose keys span k, by the rest of their columns (each group's expressions built once)
    FOR h IN EXECUTE format($q$
      SELECT array_agg(b.seq ORDER BY b.seq) AS seqs, array_agg(b.rel ORDER BY b.seq) AS rels
      FROM (SELECT s.seq, s.rel,
                   (SELECT rc.first_key FROM vsg.root_chunks rc WHERE rc.seq = s.seq AND rc.salt IS NOT NULL ORDER BY rc.chunk LIMIT 1) AS lo,
                   (SELECT rc.last_key FROM vsg.root_chunks rc WHERE rc.seq = s.seq AND rc.salt IS NOT NULL ORDER BY rc.chunk DESC LIMIT 1) AS hi
            FROM unnest($2::bigint[], $3::regclass[]) AS s(seq, rel)) b
      WHERE b.lo IS NULL OR b.hi IS NULL OR (ROW(%1$s) <= ROW(%2$s) AND ROW(%2$s) <= ROW(%3$s))
      GROUP BY (SELECT string_agg(format('%%I %%s %%s %%s', at.attname, at.atttypid, at.atttypmod, at.attcollation), ', ' ORDER BY at.attnum)
                FROM pg_catalog.pg_attribute at WHERE at.attrelid = b.rel AND at.attnum > 0 AND NOT at.attisdropped)
    $q$, vsg.root_key_typed(g.rels[1], keys, 'b.lo'), typed, vsg.root_key_typed(g.rels[1], keys, 'b.hi'))
    USING k, g.seqs, g.rels
    LOOP
      SELECT x.before, x.after INTO b, a FROM vsg.packed_exprs(h.rels[1], keys, 'r') x;
      ord := vsg.root_key_order(h.rels[1], keys, 'r');
      SELECT probes || array_agg(format('SELECT %s::bigint, %s, %s, %s FROM %s r WHERE ROW(%s) = ROW(%s)', s.seq, ke, b, a, s.rel, ord, typed)
                                 ORDER BY s.seq)
      INTO probes
      FROM unnest(h.seqs, h.rels) AS s(seq, rel);
    END LOOP;
  END LOOP;
  IF cardinality(probes) > 0 THEN
    RETURN QUERY EXECUTE array_to_string(probes, ' UNION ALL ') USING k;
  END IF;
END
$$;
