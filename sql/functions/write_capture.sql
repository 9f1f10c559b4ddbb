--! capture-generator: a change to this file rewrites every vsg.capture_<id>() (vsg init)
-- (Re)write table tid's capture function for its columns as they are now.
-- Returns the function's name, for the triggers.
CREATE OR REPLACE FUNCTION vsg.write_capture(tid int) RETURNS text LANGUAGE plpgsql AS $write$
DECLARE
  rel oid;
  k text;
  kt text;
  pair text;
  native boolean;
  img text;
  body text;
  fname text := vsg.capture_function(tid);
BEGIN
  -- a Citus distributed table's runs on its shards (sql/functions/write_dist_capture.sql)
  IF vsg.dist_pending(tid) IS NOT NULL THEN
    RETURN vsg.write_dist_capture(tid);
  END IF;
  -- An UPDATE's old and new rows are paired by their keys as their text
  -- forms would pair them (kt, pair: vsg.key_pairing).
  SELECT t.relid, vsg.key_expr(t.key_columns, 'r'), p.kt, p.pair, p.native
    INTO rel, k, kt, pair, native
  FROM vsg.tracked t CROSS JOIN LATERAL vsg.key_pairing(t.relid, t.key_columns) p WHERE t.id = tid;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'vsg: no tracked table %', tid;
  END IF;
  img := vsg.image_expr(rel, 'r');
  body := format($src$
DECLARE
  own boolean;
  same boolean;
  stage boolean;
  touched text;
  sn bigint;
  packed bigint;
  big boolean;
  q text;
  saved text[];
BEGIN
  -- One read, planned once a session: is this vsg's own bulk write-back, which
  -- records these rows itself (statements of triggers and foreign-key actions
  -- it sets off, at depth 2 and more, are captured), and are the columns still
  -- those this function was written for? And does a commit of SQL that runs
  -- now want this table's large statements staged (vsg.run_statement: its
  -- table, or every table for a commit that names none)? And, where a commit
  -- that names no table runs its SQL, this table joins the tables it touched
  -- (vsg.touch), which vsg.changed_tables then looks at alone.
  SELECT CASE WHEN t.applying IS NULL OR pg_trigger_depth() > 1 THEN false ELSE t.applying = txid_current() END, %1$s,
         coalesce(strpos(current_setting('vsg.stage', true), ',%2$s,') > 0 OR current_setting('vsg.stage', true) = ',*,', false),
         vsg.touch(%2$s)
    INTO own, same, stage, touched
  FROM vsg.tracked t WHERE t.id = %2$s;
  IF own THEN
    RETURN NULL;
  END IF;
  IF same AND TG_OP <> 'TRUNCATE' THEN
    -- A statement of 1,000 rows or more of a commit's own SQL: its rows go to
    -- the session's pg_temp.vsg_captured, which the commit takes in the same
    -- transaction, and not through vsg.pending's indexes, WAL and dead rows.
    -- They share one sequence number: a statement changes a key once.
    IF stage THEN
      IF TG_OP = 'DELETE' THEN
        stage := (SELECT count(*) FROM (SELECT FROM vsg_old LIMIT 1000) s) = 1000;
      ELSE
        stage := (SELECT count(*) FROM (SELECT FROM vsg_new LIMIT 1000) s) = 1000;
      END IF;
    END IF;
    -- (nested, not `stage AND ...`: SQL calls the function when the other side is NULL)
    IF stage THEN
      stage := vsg.captured_table();
    END IF;
    IF stage THEN
      sn := nextval('vsg.pending_seq_seq');
      -- A statement of 10,000 rows or more where no statement of the
      -- transaction was packed for this table yet (a commit across tables
      -- has each table's packed, and takes each as its part): its rows
      -- copied into vsg.packing_<sn> in their own types, no image built, for
      -- the commit to keep packed (vsg.take_packed) or take as change rows:
      -- an INSERT's as they are (in the statement's order, as a root's copy
      -- is made: the key index orders them), an UPDATE's or DELETE's as
      -- vsg.packed_select pairs them; an UPDATE only where its key is paired
      -- as it is (vsg.key_pairing). (Nested: a DELETE's trigger has no
      -- vsg_new to name, an INSERT's no vsg_old.)
      IF %7$s AND (TG_OP <> 'UPDATE' OR %10$s) AND vsg.own_temp('vsg_captured_packed') THEN
        IF NOT EXISTS (SELECT 1 FROM pg_temp.vsg_captured_packed p WHERE p.table_id = %2$s) THEN
          IF TG_OP = 'DELETE' THEN
            big := (SELECT count(*) FROM (SELECT FROM vsg_old LIMIT 10000) s) = 10000;
          ELSE
            big := (SELECT count(*) FROM (SELECT FROM vsg_new LIMIT 10000) s) = 10000;
          END IF;
          IF big THEN
            -- An UPDATE's pairs by a merge join, so that the copy is written in
            -- the key's order (its key compared as it is: vsg.key_pairing),
            -- which its index and chunk hashes then read in one pass (1M rows:
            -- 2.8 s against 4.4 s, the join itself no slower). Its two sorts
            -- get the memory the hash join would have had (work_mem times
            -- hash_mem_multiplier): a 1M-row UPDATE of a narrow table sorts
            -- in memory then, 1.6 s against 1.9-2.6 s spilled at vsg's 64MB
            -- (at most 2097151 kB: work_mem's limit where a C long is 32 bits).
            -- The settings are put back after it (an error rolls them back
            -- with the statement). An INSERT's and a DELETE's copy join nothing.
            IF TG_OP = 'UPDATE' THEN
              saved := ARRAY[current_setting('enable_hashjoin'), current_setting('work_mem')];
              PERFORM set_config('enable_hashjoin', 'off', true);
              PERFORM set_config('work_mem', least(pg_catalog.pg_size_bytes(saved[2]) / 1024
                                                   * coalesce(current_setting('hash_mem_multiplier', true)::float8, 1), 2097151)::bigint || 'kB', true);
            END IF;
            EXECUTE format(CASE TG_OP WHEN 'INSERT' THEN 'CREATE TABLE vsg.%%I AS SELECT * FROM vsg_new' WHEN 'UPDATE' THEN %8$L ELSE %9$L END,
                           'packing_' || sn);
            GET DIAGNOSTICS packed = ROW_COUNT;
            IF TG_OP = 'UPDATE' THEN
              PERFORM set_config('enable_hashjoin', saved[1], true);
              PERFORM set_config('work_mem', saved[2], true);
            END IF;
            IF packed = 0 THEN
              -- (an UPDATE that changed no row's text: nothing to commit)
              EXECUTE format('DROP TABLE vsg.%%I', 'packing_' || sn);
            ELSE
              INSERT INTO pg_temp.vsg_captured_packed (table_id, seq, rows) VALUES (%2$s, sn, packed);
            END IF;
            RETURN NULL;
          END IF;
        END IF;
      END IF;
      IF TG_OP = 'UPDATE' THEN
        INSERT INTO pg_temp.vsg_captured (table_id, seq, key, before, after)
        SELECT %2$s, sn, coalesce(o.k, n.k), o.i, n.i
        FROM (SELECT %3$s AS k, %4$s AS i, %5$s FROM vsg_old r) o
        FULL JOIN (SELECT %3$s AS k, %4$s AS i, %5$s FROM vsg_new r) n ON %6$s
        WHERE o.i IS DISTINCT FROM n.i;
      ELSIF TG_OP = 'INSERT' THEN
        INSERT INTO pg_temp.vsg_captured (table_id, seq, key, before, after) SELECT %2$s, sn, %3$s, NULL, %4$s FROM vsg_new r;
      ELSE
        INSERT INTO pg_temp.vsg_captured (table_id, seq, key, before, after) SELECT %2$s, sn, %3$s, %4$s, NULL FROM vsg_old r;
      END IF;
      RETURN NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
      INSERT INTO vsg.pending (table_id, key, before, after)
      SELECT %2$s, coalesce(o.k, n.k), o.i, n.i
      FROM (SELECT %3$s AS k, %4$s AS i, %5$s FROM vsg_old r) o
      FULL JOIN (SELECT %3$s AS k, %4$s AS i, %5$s FROM vsg_new r) n ON %6$s
      WHERE o.i IS DISTINCT FROM n.i;
    ELSIF TG_OP = 'INSERT' THEN
      INSERT INTO vsg.pending (table_id, key, before, after) SELECT %2$s, %3$s, NULL, %4$s FROM vsg_new r;
    ELSE
      INSERT INTO vsg.pending (table_id, key, before, after) SELECT %2$s, %3$s, %4$s, NULL FROM vsg_old r;
    END IF;
    RETURN NULL;
  END IF;
  -- TRUNCATE, or the columns changed since this function was written: the
  -- statement comes from the catalog (vsg.capture_statement) and runs under
  -- canonical settings whether or not this function sets them (a column may
  -- have been changed to a type whose text form depends on them).
  q := vsg.capture_statement(%2$s, TG_OP, TG_RELID);
  saved := vsg.canonical_output();
  EXECUTE q USING %2$s;
  PERFORM vsg.restore_output(saved);
  RETURN NULL;
END
$src$, vsg.column_check(rel), tid, k, img, kt, pair, CASE WHEN vsg.packable(rel) THEN 'true' ELSE 'false' END,
    'CREATE TABLE vsg.%I AS ' || replace(vsg.packed_select(rel, (SELECT t.key_columns FROM vsg.tracked t WHERE t.id = tid), 'UPDATE'), '%', '%%'),
    'CREATE TABLE vsg.%I AS ' || replace(vsg.packed_select(rel, (SELECT t.key_columns FROM vsg.tracked t WHERE t.id = tid), 'DELETE'), '%', '%%'),
    CASE WHEN native THEN 'true' ELSE 'false' END);
  RETURN vsg.create_capture(fname, rel, body);
END
$write$;
