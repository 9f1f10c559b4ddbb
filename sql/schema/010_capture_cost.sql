-- Capture at less per statement. Measured on pgbench_accounts (single-row
-- UPDATEs, PostgreSQL 15): the capture function of 008 cost ~50 µs a
-- statement on top of the UPDATE's ~12 µs in a loop of statements in one
-- transaction, ~95 µs with one statement a transaction (as pgbench runs it).
-- In the loop, ~14 µs went to its column check (a string built with format()
-- from the catalog), ~3 µs to a second catalog read for vsg's own bulk
-- write-back, and ~5 µs to setting six session settings on every call. Now:
--
--   * one read of vsg.tracked answers both questions, and the column check
--     compares arrays of names, types and type modifiers (no formatting),
--     with constants only, so that it is planned once a session;
--   * a captured row no longer pays for an index on vsg.pending.seq;
--   * the function sets the settings that make text forms canonical only when
--     one of the table's column types prints differently under them (a
--     timestamptz under TimeZone, a float under extra_float_digits, ...).
--     A table of integers, text, numeric, uuid, jsonb ... prints the same
--     under any settings, so its function sets only search_path. Its slow path
--     (TRUNCATE, or columns changed outside vsg, perhaps to a type that does
--     depend on them) sets them for its own statement and puts the writer's
--     back before it returns.

DROP FUNCTION vsg.column_fingerprint(oid);

-- No query finds a pending row by its seq (they are found by table and key, or
-- by table and transaction, and ordered by seq among those), yet every
-- captured row paid for an entry in its primary key's index.
ALTER TABLE vsg.pending DROP CONSTRAINT pending_pkey;

-- Whether every live column of rel prints the same text whatever the session's
-- TimeZone, DateStyle, IntervalStyle, extra_float_digits and bytea_output.
-- Arrays and domains are judged by what they hold; anything not known to be
-- settings-free (dates, times, intervals, floats, bytea, money, geometry,
-- ranges, composites, ...) makes it false.
CREATE FUNCTION vsg.text_form_fixed(rel oid) RETURNS boolean LANGUAGE sql STABLE AS $$
  WITH RECURSIVE t(oid) AS (
    SELECT atttypid FROM pg_catalog.pg_attribute WHERE attrelid = rel AND attnum > 0 AND NOT attisdropped
    UNION
    SELECT CASE WHEN ty.typtype = 'd' THEN ty.typbasetype ELSE ty.typelem END
    FROM t JOIN pg_catalog.pg_type ty ON ty.oid = t.oid
    WHERE ty.typtype = 'd' OR (ty.typcategory = 'A' AND ty.typelem <> 0)
  )
  SELECT coalesce(bool_and(
           ty.typtype IN ('d', 'e')
           OR (ty.typcategory = 'A' AND ty.typelem <> 0)
           OR ty.oid = ANY ('{bool,name,int2,int4,int8,oid,text,varchar,bpchar,numeric,uuid,json,jsonb,inet,cidr,macaddr,macaddr8,bit,varbit}'::regtype[])),
         true)
  FROM t JOIN pg_catalog.pg_type ty ON ty.oid = t.oid
$$;

-- The condition that rel's live columns are those it has now: their names,
-- types and type modifiers, in order. Written into the capture function with
-- constants only: a parameter (TG_RELID) would have PostgreSQL plan the
-- query afresh on every call, which cost ~15 µs a statement.
CREATE FUNCTION vsg.column_check(rel oid) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT format('(SELECT array_agg(a.attname) = %L AND array_agg(a.atttypid) = %L AND array_agg(a.atttypmod) = %L
                   FROM (SELECT attname, atttypid, atttypmod FROM pg_catalog.pg_attribute
                         WHERE attrelid = %s AND attnum > 0 AND NOT attisdropped ORDER BY attnum) a)',
                array_agg(attname ORDER BY attnum), array_agg(atttypid ORDER BY attnum), array_agg(atttypmod ORDER BY attnum), rel)
  FROM pg_catalog.pg_attribute
  WHERE attrelid = rel AND attnum > 0 AND NOT attisdropped
$$;

-- The settings under which every type prints its canonical text form, as
-- vsg's own sessions have them (src/db/db.ts), set to the end of the
-- transaction; returns the writer's, for vsg.restore_output.
CREATE FUNCTION vsg.canonical_output() RETURNS text[] LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  saved text[] := ARRAY[current_setting('TimeZone'), current_setting('DateStyle'), current_setting('IntervalStyle'),
                        current_setting('extra_float_digits'), current_setting('bytea_output')];
BEGIN
  PERFORM set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, YMD', true),
          set_config('IntervalStyle', 'postgres', true), set_config('extra_float_digits', '3', true),
          set_config('bytea_output', 'hex', true);
  RETURN saved;
END
$$;

CREATE FUNCTION vsg.restore_output(saved text[]) RETURNS void LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  PERFORM set_config('TimeZone', saved[1], true), set_config('DateStyle', saved[2], true),
          set_config('IntervalStyle', saved[3], true), set_config('extra_float_digits', saved[4], true),
          set_config('bytea_output', saved[5], true);
END
$$;

-- The key and image expressions (over alias r) of the capture's slow path for
-- table tid: the key columns under their recorded names, each read from the
-- column of that attribute number whatever it is called now. A key column
-- renamed outside vsg must not make the application's writes fail, and what
-- they capture must fit history once the rename is undone (the next vsg
-- commit refuses a changed key until then: history's keys could not follow).
CREATE FUNCTION vsg.live_capture_exprs(tid int, OUT k text, OUT img text) LANGUAGE plpgsql STABLE AS $$
DECLARE
  c record;
  pairs text[] := '{}';
BEGIN
  img := vsg.image_expr((SELECT relid FROM vsg.tracked WHERE id = tid), 'r');
  FOR c IN SELECT kc.name AS recorded, coalesce(a.attname::text, kc.name) AS current
           FROM vsg.tracked t
           CROSS JOIN LATERAL unnest(t.key_columns) WITH ORDINALITY AS kc(name, n)
           LEFT JOIN pg_catalog.pg_attribute a
             ON a.attrelid = t.relid AND a.attnum = (t.signature -> 'key' ->> (kc.n::int - 1))::int2 AND NOT a.attisdropped
           WHERE t.id = tid
           ORDER BY kc.n LOOP
    pairs := pairs || format('%L, r.%I::text', c.recorded, c.current);
    IF c.current <> c.recorded THEN
      img := format('((%s) - %L) || jsonb_build_object(%L, r.%I::text)', img, c.current, c.recorded, c.current);
    END IF;
  END LOOP;
  k := format('jsonb_build_object(%s)', array_to_string(pairs, ', '));
END
$$;

-- (Re)write table tid's capture function for its columns as they are now.
-- Returns the function's name, for the triggers.
CREATE OR REPLACE FUNCTION vsg.write_capture(tid int) RETURNS text LANGUAGE plpgsql AS $write$
DECLARE
  rel oid;
  k text;
  img text;
  body text;
  settings text := '';
  fname text := vsg.capture_function(tid);
BEGIN
  SELECT relid, vsg.key_expr(key_columns, 'r') INTO rel, k FROM vsg.tracked WHERE id = tid;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'vsg: no tracked table %', tid;
  END IF;
  img := vsg.image_expr(rel, 'r');
  IF NOT vsg.text_form_fixed(rel) THEN
    settings := $s$ SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
    SET extra_float_digits = 3 SET bytea_output = 'hex'$s$;
  END IF;
  -- The body is passed as one quoted literal (%L), never inside a dollar quote:
  -- column names are the table owner's to choose, '$x$' included.
  body := format($src$
DECLARE
  own boolean;
  same boolean;
  k text;
  img text;
  saved text[];
BEGIN
  -- One read, planned once a session: is this vsg's own bulk write-back, which
  -- records these rows itself (statements of triggers and foreign-key actions
  -- it sets off, at depth 2 and more, are captured), and are the columns still
  -- those this function was written for?
  SELECT CASE WHEN t.applying IS NULL OR pg_trigger_depth() > 1 THEN false ELSE t.applying = txid_current() END, %1$s
    INTO own, same
  FROM vsg.tracked t WHERE t.id = %2$s;
  IF own THEN
    RETURN NULL;
  END IF;
  IF same AND TG_OP <> 'TRUNCATE' THEN
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
  -- TRUNCATE, or the columns changed since this function was written: the
  -- statements come from the catalog, under canonical settings whether or not
  -- this function sets them (a column may have been changed to a type whose
  -- text form depends on them).
  SELECT e.k, e.img INTO k, img FROM vsg.live_capture_exprs(%2$s) e;
  saved := vsg.canonical_output();
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
  PERFORM vsg.restore_output(saved);
  RETURN NULL;
END
$src$, vsg.column_check(rel), tid, k, img);
  EXECUTE format($ddl$CREATE OR REPLACE FUNCTION %s() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog, pg_temp%s
    AS %L$ddl$, fname, settings, body);
  RETURN fname;
END
$write$;

-- Every tracked table that still exists gets its capture function anew.
SELECT vsg.write_capture(tr.id)
FROM vsg.tracked tr
WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = tr.relid);
