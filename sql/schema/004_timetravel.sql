-- vsg schema, version 4: reading history from SQL, for people who live in psql.
--   SELECT * FROM vsg.as_of('clients', '3f2a9c1');           -- rows as jsonb images
--   SELECT * FROM vsg.as_of_rows(NULL::clients, 'HEAD~3');    -- rows typed as the table
--   SELECT * FROM vsg.row_history('clients', '7');           -- one row's commits
-- Every function sets the canonical text forms vsg stores values in, so that a
-- psql session with another DateStyle or extra_float_digits reads exact values.

-- A reference to one commit of tracked table tid: HEAD or @, a branch or tag,
-- a unique id prefix of 4+ hex digits, each optionally followed by ~N, ^ or ^2.
CREATE FUNCTION vsg.resolve_commit(tid int, ref text) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
  base text := substring(ref FROM '^(.*?)(?:~[0-9]*|\^[0-9]?)*$');
  suffix text := substring(ref FROM length(base) + 1);
  at text;
  n int;
  step text[];
BEGIN
  IF base IN ('HEAD', '@') THEN
    SELECT r.commit_id INTO at FROM vsg.tracked t JOIN vsg.refs r ON r.table_id = t.id AND r.name = t.head AND r.kind = 'branch'
    WHERE t.id = tid;
  ELSE
    SELECT r.commit_id INTO at FROM vsg.refs r WHERE r.table_id = tid AND r.name = base;
    IF at IS NULL AND base ~ '^[0-9a-f]{4,64}$' THEN
      SELECT count(*) INTO n FROM vsg.commits c WHERE c.table_id = tid AND c.id LIKE base || '%';
      IF n > 1 THEN
        RAISE EXCEPTION 'vsg: ''%'' is ambiguous: % commits start with it', ref, n USING ERRCODE = '22023';
      END IF;
      SELECT c.id INTO at FROM vsg.commits c WHERE c.table_id = tid AND c.id LIKE base || '%';
    END IF;
  END IF;
  IF at IS NULL THEN
    RAISE EXCEPTION 'vsg: ''%'' is not a commit, branch or tag of this table', ref USING ERRCODE = '22023';
  END IF;
  FOR step IN SELECT regexp_matches(suffix, '(~|\^)([0-9]*)', 'g') LOOP
    n := CASE WHEN step[2] = '' THEN 1 ELSE step[2]::int END;
    IF step[1] = '^' THEN
      IF n = 0 THEN CONTINUE; END IF;
      SELECT CASE n WHEN 1 THEN c.parent WHEN 2 THEN c.merge_parent END INTO at FROM vsg.commits c WHERE c.id = at;
    ELSE
      FOR i IN 1..n LOOP
        SELECT c.parent INTO at FROM vsg.commits c WHERE c.id = at;
        EXIT WHEN at IS NULL;
      END LOOP;
    END IF;
    IF at IS NULL THEN
      RAISE EXCEPTION 'vsg: ''%'' goes back past the first commit', ref USING ERRCODE = '22023';
    END IF;
  END LOOP;
  RETURN at;
END
$$;

-- The tracked table behind a relation, or an error naming it.
CREATE FUNCTION vsg.tracked_id(tbl regclass) RETURNS int LANGUAGE plpgsql STABLE AS $$
DECLARE
  tid int;
BEGIN
  SELECT t.id INTO tid FROM vsg.tracked t WHERE t.relid = tbl::oid;
  IF tid IS NULL THEN
    RAISE EXCEPTION 'vsg: table % is not tracked', tbl USING ERRCODE = '22023';
  END IF;
  RETURN tid;
END
$$;

-- The nearest common commit of a and b on their first-parent chains, and its
-- depth (sql/history/lca.sql calls it; vsg.lca_depth gives the depth alone).
CREATE FUNCTION vsg.lca(a text, b text) RETURNS TABLE (id text, depth int) LANGUAGE sql STABLE AS $$
  -- Step the deeper side up until both meet: cost is the distance walked.
  WITH RECURSIVE w(a, b, da, db) AS (
    SELECT a, b, (SELECT c.depth FROM vsg.commits c WHERE c.id = a), (SELECT c.depth FROM vsg.commits c WHERE c.id = b)
    UNION ALL
    SELECT CASE WHEN w.da >= w.db THEN (SELECT c.parent FROM vsg.commits c WHERE c.id = w.a) ELSE w.a END,
           CASE WHEN w.db >= w.da THEN (SELECT c.parent FROM vsg.commits c WHERE c.id = w.b) ELSE w.b END,
           CASE WHEN w.da >= w.db THEN w.da - 1 ELSE w.da END,
           CASE WHEN w.db >= w.da THEN w.db - 1 ELSE w.db END
    FROM w WHERE w.a <> w.b
  )
  SELECT w.a, w.da FROM w WHERE w.a = w.b
$$;

CREATE FUNCTION vsg.lca_depth(a text, b text) RETURNS int LANGUAGE sql STABLE AS $$
  SELECT depth FROM vsg.lca(a, b)
$$;

-- Keys whose row differs between commit old_c and commit new_c (plus, with
-- with_pending, the uncommitted changes of table tid), with both images. Both
-- sides are reached from their first-parent common ancestor (at depth
-- lca_depth, computed when not given), so the cost is the changes on the two
-- paths, never the table. For each key the value at one side is the last
-- image on its path, or, if that path never touched it, the first "before" on
-- the other path (the value at the common ancestor). sql/diff/between.sql,
-- which every diff, checkout, restore, switch and merge uses, calls this.
CREATE FUNCTION vsg.state_diff(tid int, old_c text, new_c text, with_pending boolean, lca_depth int DEFAULT NULL)
RETURNS TABLE (key jsonb, old jsonb, new jsonb) LANGUAGE sql STABLE AS $$
  WITH RECURSIVE lca AS (
    SELECT coalesce(lca_depth, vsg.lca_depth(old_c, new_c)) AS depth
  ), pa AS (
    SELECT id, parent, depth FROM vsg.commits WHERE id = old_c AND depth > (SELECT depth FROM lca)
    UNION ALL
    SELECT c.id, c.parent, c.depth FROM vsg.commits c JOIN pa ON c.id = pa.parent WHERE c.depth > (SELECT depth FROM lca)
  ), pb AS (
    SELECT id, parent, depth FROM vsg.commits WHERE id = new_c AND depth > (SELECT depth FROM lca)
    UNION ALL
    SELECT c.id, c.parent, c.depth FROM vsg.commits c JOIN pb ON c.id = pb.parent WHERE c.depth > (SELECT depth FROM lca)
  ), sa AS (
    -- One index range scan per commit on the path. The planner's estimate of
    -- changes per commit is inflated by the root commit (which holds the whole
    -- table), so a plain join, or even this LATERAL alone, gets a sequential scan
    -- of every change ever recorded: O(table) instead of O(changes). A LIMIT it
    -- cannot evaluate at plan time makes it assume a small fraction is read, so
    -- the ordered primary-key scan wins. The limit itself never binds.
    SELECT ch.key, ch.before, ch.after, p.depth::bigint AS o1, 0::bigint AS o2
    FROM pa p CROSS JOIN LATERAL (SELECT key, before, after FROM vsg.changes WHERE commit_id = p.id ORDER BY key LIMIT (SELECT 9223372036854775807)) ch
  ), sb AS (
    SELECT ch.key, ch.before, ch.after, p.depth::bigint AS o1, 0::bigint AS o2
    FROM pb p CROSS JOIN LATERAL (SELECT key, before, after FROM vsg.changes WHERE commit_id = p.id ORDER BY key LIMIT (SELECT 9223372036854775807)) ch
    UNION ALL
    SELECT p.key, p.before, p.after, 9223372036854775807, p.seq
    FROM vsg.pending p WHERE with_pending AND p.table_id = tid
  ), na AS (
    SELECT key, (array_agg(before ORDER BY o1, o2))[1] AS first, (array_agg(after ORDER BY o1 DESC, o2 DESC))[1] AS last
    FROM sa GROUP BY key
  ), nb AS (
    SELECT key, (array_agg(before ORDER BY o1, o2))[1] AS first, (array_agg(after ORDER BY o1 DESC, o2 DESC))[1] AS last
    FROM sb GROUP BY key
  ), d AS (
    SELECT coalesce(na.key, nb.key) AS key,
           CASE WHEN na.key IS NOT NULL THEN na.last ELSE nb.first END AS old,
           CASE WHEN nb.key IS NOT NULL THEN nb.last ELSE na.first END AS new
    FROM na FULL JOIN nb ON na.key = nb.key
  )
  SELECT key, old, new FROM d WHERE old IS DISTINCT FROM new
$$;

-- SQL (over alias r) that is true when r's key equals the key image k.key.
CREATE FUNCTION vsg.key_match(rel oid, key_columns text[], alias text, kalias text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT string_agg(format('%I.%I = (%I.key->>%L)::%s', alias, c, kalias, c, format_type(a.atttypid, a.atttypmod)), ' AND ' ORDER BY n)
  FROM unnest(key_columns) WITH ORDINALITY AS k(c, n)
  JOIN pg_catalog.pg_attribute a ON a.attrelid = rel AND a.attname = k.c
$$;

-- The rows of a tracked table as of a commit, as images {column: text form}:
-- the live rows whose key did not change since, plus the images at that
-- commit of the keys that did. Never touches the table.
CREATE FUNCTION vsg.as_of(tbl regclass, ref text) RETURNS SETOF jsonb LANGUAGE plpgsql STABLE
  SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
  SET extra_float_digits = 3 SET bytea_output = 'hex'
AS $$
DECLARE
  tid int := vsg.tracked_id(tbl);
  keys text[];
  target text;
  head text;
BEGIN
  SELECT t.key_columns INTO keys FROM vsg.tracked t WHERE t.id = tid;
  target := vsg.resolve_commit(tid, ref);
  head := vsg.resolve_commit(tid, 'HEAD');
  RETURN QUERY EXECUTE format(
    'WITH d AS MATERIALIZED (SELECT key, old FROM vsg.state_diff($1, $2, $3, true))
     SELECT %s FROM %s r WHERE NOT EXISTS (SELECT 1 FROM d WHERE %s)
     UNION ALL
     SELECT d.old FROM d WHERE d.old IS NOT NULL',
    vsg.image_expr(tbl::oid, 'r'), tbl, vsg.key_match(tbl::oid, keys, 'r', 'd'))
  USING tid, target, head;
END
$$;

-- The same rows typed as the table: SELECT * FROM vsg.as_of_rows(NULL::clients, 'HEAD~2').
-- Each value goes back through its column's input function, so it is exact
-- (json keeps its whitespace, arrays their bounds); a column the image lacks
-- (added since) is NULL.
CREATE FUNCTION vsg.as_of_rows(tbl anyelement, ref text) RETURNS SETOF anyelement LANGUAGE plpgsql STABLE
  SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
  SET extra_float_digits = 3 SET bytea_output = 'hex'
AS $$
DECLARE
  rel regclass := pg_typeof(tbl)::text::regclass;
  cols text;
BEGIN
  SELECT string_agg(format('(i->>%L)::%s', attname, format_type(atttypid, atttypmod)), ', ' ORDER BY attnum) INTO cols
  FROM pg_catalog.pg_attribute WHERE attrelid = rel AND attnum > 0 AND NOT attisdropped;
  RETURN QUERY EXECUTE format('SELECT %s FROM vsg.as_of($1, $2) i', cols) USING rel, ref;
END
$$;

-- A key given as a scalar ('7', 7) for a one-column key, or as an object
-- ({"id": 7}), in the canonical form vsg.changes stores: {"id": "7"}.
CREATE FUNCTION vsg.canonical_key(tbl regclass, key jsonb) RETURNS jsonb LANGUAGE plpgsql STABLE
  SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
  SET extra_float_digits = 3 SET bytea_output = 'hex'
AS $$
DECLARE
  keys text[];
  out jsonb := '{}';
  c text;
  v text;
  typ text;
BEGIN
  SELECT t.key_columns INTO keys FROM vsg.tracked t WHERE t.id = vsg.tracked_id(tbl);
  IF jsonb_typeof(key) <> 'object' AND cardinality(keys) <> 1 THEN
    RAISE EXCEPTION 'vsg: % has a key of % columns; give the key as an object', tbl, cardinality(keys) USING ERRCODE = '22023';
  END IF;
  FOREACH c IN ARRAY keys LOOP
    v := CASE WHEN jsonb_typeof(key) = 'object' THEN key->>c ELSE key#>>'{}' END;
    IF v IS NULL THEN
      RAISE EXCEPTION 'vsg: the key lacks column %', c USING ERRCODE = '22023';
    END IF;
    SELECT format_type(a.atttypid, a.atttypmod) INTO typ FROM pg_catalog.pg_attribute a WHERE a.attrelid = tbl AND a.attname = c;
    EXECUTE format('SELECT ($1::%s)::text', typ) INTO v USING v;
    out := out || jsonb_build_object(c, v);
  END LOOP;
  RETURN out;
END
$$;

-- The history of one row on the table's current branch, newest first: every
-- commit reachable from HEAD that changed it, with the row before and after.
CREATE FUNCTION vsg.row_history(tbl regclass, key jsonb)
RETURNS TABLE (commit_id text, committed_at timestamptz, author text, kind text, message text, before jsonb, after jsonb)
LANGUAGE sql STABLE AS $$
  WITH RECURSIVE k AS (
    SELECT vsg.tracked_id(tbl) AS tid, vsg.canonical_key(tbl, key) AS key
  ), hits AS (
    SELECT ch.commit_id, ch.seq, ch.before, ch.after FROM vsg.changes ch, k
    WHERE ch.table_id = k.tid AND ch.key = k.key
  ), walk(id) AS (
    SELECT vsg.resolve_commit((SELECT tid FROM k), 'HEAD') WHERE EXISTS (SELECT 1 FROM hits)
    UNION
    SELECT p.id FROM walk w JOIN vsg.commits c ON c.id = w.id
    CROSS JOIN LATERAL (VALUES (c.parent), (c.merge_parent)) AS p(id)
    WHERE p.id IS NOT NULL
  )
  SELECT h.commit_id, c.committed_at, c.author, c.kind, c.message, h.before, h.after
  FROM hits h JOIN vsg.commits c ON c.id = h.commit_id
  WHERE h.commit_id IN (SELECT id FROM walk)
  ORDER BY h.seq DESC
$$;
