-- Capture at the cost of the change: one capture function per tracked table,
-- its statements written out for the table's columns, so a session plans them
-- once instead of reading the catalog and planning afresh on every statement.
--
-- Each function checks the table's columns (a cached, indexed catalog read)
-- before its fast path. When they differ from those it was written for (an
-- ALTER TABLE made outside vsg), it builds its statements from the catalog
-- as the shared vsg.capture() of 001 did (dropped below), so nothing is ever
-- missed or misread; the next vsg commit records the schema change and writes
-- the function anew.
--
-- vsg.tracked.signature keeps the columns (and key) as last recorded in
-- history, so that a schema change made outside vsg is seen by status and
-- recorded by the next commit as a SCHEMA commit.

ALTER TABLE vsg.tracked ADD COLUMN signature jsonb;
-- The transaction of vsg's own bulk write-back to this table, whose statements
-- record their rows themselves (009_bulk_apply.sql, src/engine/apply-bulk.ts).
ALTER TABLE vsg.tracked ADD COLUMN applying bigint;

-- The shape a capture function's statements depend on: every live column's
-- number, name, type and type modifier, in order.
CREATE FUNCTION vsg.column_fingerprint(rel oid) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT string_agg(format('%s %I %s %s', attnum, attname, atttypid, atttypmod), ',' ORDER BY attnum)
  FROM pg_catalog.pg_attribute
  WHERE attrelid = rel AND attnum > 0 AND NOT attisdropped
$$;

-- The name of table tid's capture function.
CREATE FUNCTION vsg.capture_function(tid int) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT format('vsg.%I', 'capture_' || tid)
$$;

-- (Re)write table tid's capture function for its columns as they are now.
-- Returns the function's name, for the triggers.
CREATE FUNCTION vsg.write_capture(tid int) RETURNS text LANGUAGE plpgsql AS $write$
DECLARE
  rel oid;
  k text;
  img text;
  body text;
  fname text := vsg.capture_function(tid);
BEGIN
  SELECT relid, vsg.key_expr(key_columns, 'r') INTO rel, k FROM vsg.tracked WHERE id = tid;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'vsg: no tracked table %', tid;
  END IF;
  img := vsg.image_expr(rel, 'r');
  -- The body is passed as one quoted literal (%L), never inside a dollar quote:
  -- column names are the table owner's to choose, '$x$' included.
  body := format($src$
DECLARE
  keys text[];
  k text;
  img text;
BEGIN
  -- vsg's own bulk write-back records these rows itself (statements of triggers
  -- and foreign-key actions it sets off, at depth 2 and more, are captured).
  IF pg_trigger_depth() = 1 AND (SELECT applying FROM vsg.tracked WHERE id = %2$s) = txid_current() THEN
    RETURN NULL;
  END IF;
  -- (vsg.column_fingerprint written out: a subquery keeps its plan for the session,
  -- a SQL function call would plan its body again in every transaction)
  IF TG_OP <> 'TRUNCATE' AND (SELECT string_agg(format('%%s %%I %%s %%s', attnum, attname, atttypid, atttypmod), ',' ORDER BY attnum)
                              FROM pg_catalog.pg_attribute
                              WHERE attrelid = TG_RELID AND attnum > 0 AND NOT attisdropped) = %1$L THEN
    IF TG_OP = 'UPDATE' THEN
      INSERT INTO vsg.pending (table_id, key, before, after)
      SELECT %2$s, coalesce(o.k, n.k), o.i, n.i
      FROM (SELECT %3$s AS k, %4$s AS i FROM vsg_old r) o
      FULL JOIN (SELECT %3$s AS k, %4$s AS i FROM vsg_new r) n ON o.k = n.k
      WHERE o.i IS DISTINCT FROM n.i;
    ELSIF TG_OP = 'INSERT' THEN
      INSERT INTO vsg.pending (table_id, key, before, after) SELECT %2$s, %3$s, NULL, %4$s FROM vsg_new r;
    ELSE
      INSERT INTO vsg.pending (table_id, key, before, after) SELECT %2$s, %3$s, %4$s, NULL FROM vsg_old r;
    END IF;
    RETURN NULL;
  END IF;
  -- TRUNCATE, or the columns changed since this function was written.
  SELECT key_columns INTO keys FROM vsg.tracked WHERE id = %2$s;
  k := vsg.key_expr(keys, 'r');
  img := vsg.image_expr(TG_RELID, 'r');
  IF TG_OP = 'INSERT' THEN
    EXECUTE format('INSERT INTO vsg.pending (table_id, key, before, after) SELECT $1, %%s, NULL, %%s FROM vsg_new r', k, img) USING %2$s;
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE format('INSERT INTO vsg.pending (table_id, key, before, after) SELECT $1, %%s, %%s, NULL FROM vsg_old r', k, img) USING %2$s;
  ELSIF TG_OP = 'UPDATE' THEN
    EXECUTE format($q$INSERT INTO vsg.pending (table_id, key, before, after)
      SELECT $1, coalesce(o.k, n.k), o.i, n.i
      FROM (SELECT %%1$s AS k, %%2$s AS i FROM vsg_old r) o
      FULL JOIN (SELECT %%1$s AS k, %%2$s AS i FROM vsg_new r) n ON o.k = n.k
      WHERE o.i IS DISTINCT FROM n.i$q$, k, img) USING %2$s;
  ELSE
    EXECUTE format('INSERT INTO vsg.pending (table_id, key, before, after) SELECT $1, %%s, %%s, NULL FROM %%s r', k, img, TG_RELID::regclass) USING %2$s;
  END IF;
  RETURN NULL;
END
$src$, vsg.column_fingerprint(rel), tid, k, img);
  EXECUTE format($ddl$CREATE OR REPLACE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp
    SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
    SET extra_float_digits = 3 SET bytea_output = 'hex'
    AS %L$ddl$, fname, body);
  RETURN fname;
END
$write$;

-- A table's columns (number, name, type) and primary key (attnums), as
-- vsg.tracked.signature and SCHEMA commits keep them.
CREATE FUNCTION vsg.table_signature(rel oid) RETURNS jsonb LANGUAGE sql STABLE AS $$
  SELECT jsonb_build_object(
    'columns', coalesce((SELECT jsonb_agg(jsonb_build_object('num', a.attnum, 'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod)) ORDER BY a.attnum)
                         FROM pg_catalog.pg_attribute a
                         WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped), '[]'),
    'key', (SELECT to_jsonb(i.indkey::int2[]) FROM pg_catalog.pg_index i WHERE i.indrelid = rel AND i.indisprimary))
$$;

-- Write table tid's capture function and point its four capture triggers at it.
CREATE FUNCTION vsg.install_capture(tid int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  qname text;
  fname text := vsg.write_capture(tid);
BEGIN
  SELECT format('%I.%I', n.nspname, c.relname) INTO STRICT qname
  FROM vsg.tracked t
  JOIN pg_catalog.pg_class c ON c.oid = t.relid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  WHERE t.id = tid;
  EXECUTE format('CREATE OR REPLACE TRIGGER vsg_capture_insert AFTER INSERT ON %1$s
    REFERENCING NEW TABLE AS vsg_new FOR EACH STATEMENT EXECUTE FUNCTION %2$s()', qname, fname);
  EXECUTE format('CREATE OR REPLACE TRIGGER vsg_capture_update AFTER UPDATE ON %1$s
    REFERENCING OLD TABLE AS vsg_old NEW TABLE AS vsg_new FOR EACH STATEMENT EXECUTE FUNCTION %2$s()', qname, fname);
  EXECUTE format('CREATE OR REPLACE TRIGGER vsg_capture_delete AFTER DELETE ON %1$s
    REFERENCING OLD TABLE AS vsg_old FOR EACH STATEMENT EXECUTE FUNCTION %2$s()', qname, fname);
  EXECUTE format('CREATE OR REPLACE TRIGGER vsg_capture_truncate BEFORE TRUNCATE ON %1$s
    FOR EACH STATEMENT EXECUTE FUNCTION %2$s()', qname, fname);
END
$$;

-- Every tracked table that still exists gets its own capture function. Its
-- columns as last recorded: those of its latest SCHEMA commit, else those it
-- has now (a schema change made outside vsg before this upgrade cannot be
-- told apart from the state at tracking).
DO $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT tr.id, tr.relid FROM vsg.tracked tr WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = tr.relid) LOOP
    PERFORM vsg.install_capture(t.id);
    UPDATE vsg.tracked SET signature = vsg.table_signature(t.relid) || coalesce(
      (SELECT jsonb_build_object('columns', s.after) FROM vsg.schema_changes s JOIN vsg.commits c ON c.id = s.commit_id
       WHERE s.table_id = t.id ORDER BY c.seq DESC LIMIT 1), '{}')
    WHERE id = t.id;
  END LOOP;
END
$$;

-- Every trigger now calls its table's own function: the shared one is gone.
DROP FUNCTION vsg.capture();
