-- vsg schema, version 11: checking out a distant state for what reloading the
-- table once costs.
--
-- Checking out a commit whose rows differ from the live table in most rows
-- used to cost, per differing row, a jsonb image of the row before and after,
-- a cast back from text and one vsg.changes row: 20-40x reloading the table.
-- Two things make it a reload instead (src/engine/checkpoint.ts):
--
--   * Checkpoints: a native copy of the table's rows as of a commit, in a
--     table of vsg's own (vsg.checkpoints lists them). One is taken when a
--     table is tracked, and by any commit that changes at least half of the
--     table's rows: both read the whole table anyway. A few per table are kept.
--     The rows of any commit are a checkpoint's rows plus the difference from
--     it, which history gives (vsg.state_diff) at the cost of that difference.
--
--   * State commits: such a checkout is recorded as a CHECKOUT commit whose
--     state IS its source commit's (vsg.commits.source), instead of one change
--     row per differing row. Its change set is the difference between its
--     parent and its source, computed when read (show, rollback, blame, row
--     history), like any diff. Its change_hash hashes the source's id, so the
--     commit id vouches for it and `vsg verify` checks it like any other.
--
-- Versions are read along the "state tree": each commit's state is its state
-- parent's plus its own change rows, and the state parent is the source for a
-- state commit and the first parent otherwise. sdepth is the depth on that
-- tree (equal to depth until a state commit lies below), kept by a trigger.

ALTER TABLE vsg.commits ADD COLUMN source text REFERENCES vsg.commits(id);
ALTER TABLE vsg.commits ADD COLUMN sdepth int;
UPDATE vsg.commits SET sdepth = depth;
ALTER TABLE vsg.commits ALTER COLUMN sdepth SET NOT NULL;
-- A state commit does not count its rows when it is made (that would cost the
-- difference it avoids writing); `vsg show` counts them.
ALTER TABLE vsg.commits ALTER COLUMN inserted DROP NOT NULL;
ALTER TABLE vsg.commits ALTER COLUMN updated DROP NOT NULL;
ALTER TABLE vsg.commits ALTER COLUMN deleted DROP NOT NULL;
CREATE INDEX commits_state ON vsg.commits (table_id, seq) WHERE source IS NOT NULL;

CREATE FUNCTION vsg.commits_sdepth() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(NEW.source, NEW.parent) IS NULL THEN
    NEW.sdepth := 0;
  ELSE
    SELECT c.sdepth + 1 INTO NEW.sdepth FROM vsg.commits c WHERE c.id = coalesce(NEW.source, NEW.parent);
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER commits_sdepth BEFORE INSERT ON vsg.commits FOR EACH ROW EXECUTE FUNCTION vsg.commits_sdepth();

-- The change_hash of a state commit: its source's id, hashed.
CREATE FUNCTION vsg.source_hash(source text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to('vsg-state-of' || vsg.lp(source), 'UTF8')), 'hex')
$$;

-- Native copies of a table's rows as of one commit each.
CREATE TABLE vsg.checkpoints (
  commit_id  text PRIMARY KEY REFERENCES vsg.commits(id) ON DELETE CASCADE,
  table_id   int NOT NULL REFERENCES vsg.tracked(id) ON DELETE CASCADE,
  relname    text NOT NULL UNIQUE,   -- the copy: vsg.<relname>
  rows       bigint NOT NULL,
  signature  jsonb NOT NULL,         -- the table's columns when copied (vsg.tracked.signature)
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX checkpoints_table ON vsg.checkpoints (table_id);

-- The nearest common commit of a and b on the state tree, and its sdepth.
CREATE OR REPLACE FUNCTION vsg.lca(a text, b text) RETURNS TABLE (id text, depth int) LANGUAGE sql STABLE AS $$
  WITH RECURSIVE w(a, b, da, db) AS (
    SELECT a, b, (SELECT c.sdepth FROM vsg.commits c WHERE c.id = a), (SELECT c.sdepth FROM vsg.commits c WHERE c.id = b)
    UNION ALL
    SELECT CASE WHEN w.da >= w.db THEN (SELECT coalesce(c.source, c.parent) FROM vsg.commits c WHERE c.id = w.a) ELSE w.a END,
           CASE WHEN w.db >= w.da THEN (SELECT coalesce(c.source, c.parent) FROM vsg.commits c WHERE c.id = w.b) ELSE w.b END,
           CASE WHEN w.da >= w.db THEN w.da - 1 ELSE w.da END,
           CASE WHEN w.db >= w.da THEN w.db - 1 ELSE w.db END
    FROM w WHERE w.a <> w.b
  )
  SELECT w.a, w.da FROM w WHERE w.a = w.b
$$;

-- vsg.state_diff (004) again, on the state tree: the same walk, through
-- sdepth and each commit's state parent. A state commit has no change rows,
-- so a path through it costs nothing for it.
CREATE OR REPLACE FUNCTION vsg.state_diff(tid int, old_c text, new_c text, with_pending boolean, lca_depth int DEFAULT NULL)
RETURNS TABLE (key jsonb, old jsonb, new jsonb) LANGUAGE sql STABLE AS $$
  WITH RECURSIVE lca AS (
    SELECT coalesce(lca_depth, vsg.lca_depth(old_c, new_c)) AS depth
  ), pa AS (
    SELECT id, coalesce(source, parent) AS up, sdepth FROM vsg.commits WHERE id = old_c AND sdepth > (SELECT depth FROM lca)
    UNION ALL
    SELECT c.id, coalesce(c.source, c.parent), c.sdepth FROM vsg.commits c JOIN pa ON c.id = pa.up WHERE c.sdepth > (SELECT depth FROM lca)
  ), pb AS (
    SELECT id, coalesce(source, parent) AS up, sdepth FROM vsg.commits WHERE id = new_c AND sdepth > (SELECT depth FROM lca)
    UNION ALL
    SELECT c.id, coalesce(c.source, c.parent), c.sdepth FROM vsg.commits c JOIN pb ON c.id = pb.up WHERE c.sdepth > (SELECT depth FROM lca)
  ), sa AS (
    -- One index range scan per commit on the path (see 004 for the LIMIT).
    SELECT ch.key, ch.before, ch.after, p.sdepth::bigint AS o1, 0::bigint AS o2
    FROM pa p CROSS JOIN LATERAL (SELECT key, before, after FROM vsg.changes WHERE commit_id = p.id ORDER BY key LIMIT (SELECT 9223372036854775807)) ch
  ), sb AS (
    SELECT ch.key, ch.before, ch.after, p.sdepth::bigint AS o1, 0::bigint AS o2
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

-- The same for one key: its value at old_c and at new_c, when they differ.
-- Each commit on the two paths is probed for that key alone, so the cost is
-- the paths' length, not their changes. Row history and blame use it for the
-- state commits a row's history passes through.
CREATE FUNCTION vsg.state_diff_key(tid int, old_c text, new_c text, k jsonb)
RETURNS TABLE (key jsonb, old jsonb, new jsonb) LANGUAGE sql STABLE AS $$
  WITH RECURSIVE lca AS (
    SELECT vsg.lca_depth(old_c, new_c) AS depth
  ), p(side, id, up, sdepth) AS (
    SELECT s.side, c.id, coalesce(c.source, c.parent), c.sdepth
    FROM (VALUES (1, old_c), (2, new_c)) AS s(side, id) JOIN vsg.commits c ON c.id = s.id
    WHERE c.sdepth > (SELECT depth FROM lca)
    UNION ALL
    SELECT p.side, c.id, coalesce(c.source, c.parent), c.sdepth FROM vsg.commits c JOIN p ON c.id = p.up WHERE c.sdepth > (SELECT depth FROM lca)
  ), s AS (
    SELECT p.side, p.sdepth, ch.before, ch.after
    FROM p JOIN vsg.changes ch ON ch.commit_id = p.id AND ch.key = k
  ), n AS (
    SELECT side, (array_agg(before ORDER BY sdepth))[1] AS first, (array_agg(after ORDER BY sdepth DESC))[1] AS last
    FROM s GROUP BY side
  ), d AS (
    SELECT CASE WHEN a.side IS NOT NULL THEN a.last ELSE b.first END AS old,
           CASE WHEN b.side IS NOT NULL THEN b.last ELSE a.first END AS new
    FROM (SELECT * FROM n WHERE side = 1) a FULL JOIN (SELECT * FROM n WHERE side = 2) b ON true
  )
  SELECT k, old, new FROM d WHERE old IS DISTINCT FROM new
$$;

-- The rows changed on the two state paths between a and b (an upper bound of
-- the rows that differ between them), from the commits' own counts: what
-- checkout weighs a reload against. Costs the paths' length.
CREATE FUNCTION vsg.path_changes(a text, b text) RETURNS bigint LANGUAGE sql STABLE AS $$
  WITH RECURSIVE lca AS (
    SELECT vsg.lca_depth(a, b) AS depth
  ), p(id, up, n) AS (
    SELECT c.id, coalesce(c.source, c.parent), coalesce(c.inserted + c.updated + c.deleted, 0)
    FROM unnest(ARRAY[a, b]) AS s(id) JOIN vsg.commits c ON c.id = s.id
    WHERE c.sdepth > (SELECT depth FROM lca)
    UNION ALL
    SELECT c.id, coalesce(c.source, c.parent), coalesce(c.inserted + c.updated + c.deleted, 0)
    FROM vsg.commits c JOIN p ON c.id = p.up WHERE c.sdepth > (SELECT depth FROM lca)
  )
  SELECT coalesce(sum(n), 0)::bigint FROM p
$$;

-- vsg.row_history (007) again: the row's own changes, plus, for each state
-- commit reachable from HEAD, its difference for that row (vsg.state_diff_key).
CREATE OR REPLACE FUNCTION vsg.row_history(tbl regclass, key jsonb)
RETURNS TABLE (commit_id text, committed_at timestamptz, author text, kind text, message text, before jsonb, after jsonb)
LANGUAGE sql STABLE AS $$
  WITH k AS MATERIALIZED (
    SELECT vsg.tracked_id(tbl) AS tid, vsg.canonical_key(tbl, key) AS key
  ), states AS MATERIALIZED (
    SELECT c.id, c.parent, c.seq FROM vsg.commits c, k WHERE c.table_id = k.tid AND c.source IS NOT NULL
  ), hits AS MATERIALIZED (
    SELECT ch.commit_id, ch.seq, ch.before, ch.after FROM vsg.changes ch, k
    WHERE ch.table_id = k.tid AND ch.key = k.key
    UNION ALL
    SELECT s.id, s.seq, d.old, d.new FROM states s, k CROSS JOIN LATERAL vsg.state_diff_key(k.tid, s.parent, s.id, k.key) d
  ), head AS (
    SELECT c.seq FROM vsg.commits c
    WHERE c.id = (SELECT vsg.resolve_commit((SELECT tid FROM k), 'HEAD') WHERE EXISTS (SELECT 1 FROM hits))
  ), ok AS (
    SELECT vsg.reachable(head.seq, ARRAY(SELECT seq FROM hits)) AS seq FROM head
  )
  SELECT h.commit_id, c.committed_at, c.author, c.kind, c.message, h.before, h.after
  FROM hits h JOIN vsg.commits c ON c.id = h.commit_id
  WHERE h.seq IN (SELECT seq FROM ok)
  ORDER BY h.seq DESC
$$;

-- A commit's change set: its change rows, or, for a state commit, the
-- difference between its parent and it. show, rollback and blame read it.
CREATE FUNCTION vsg.commit_changes(cid text) RETURNS TABLE (key jsonb, before jsonb, after jsonb) LANGUAGE plpgsql STABLE AS $$
DECLARE
  c record;
BEGIN
  SELECT x.table_id, x.parent, x.source INTO c FROM vsg.commits x WHERE x.id = cid;
  IF c.source IS NULL THEN
    RETURN QUERY SELECT ch.key, ch.before, ch.after FROM vsg.changes ch WHERE ch.commit_id = cid;
  ELSE
    RETURN QUERY SELECT d.key, d.old, d.new FROM vsg.state_diff(c.table_id, c.parent, cid, false) d;
  END IF;
END
$$;

-- Point table tid's four capture triggers at its capture function, which
-- must exist. vsg.install_capture writes the function first; a reload, which
-- drops the INSERT and TRUNCATE triggers for its two statements (a disabled
-- trigger with a transition table still collects every row), puts them back.
CREATE FUNCTION vsg.capture_triggers(tid int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  qname text;
  fname text := vsg.capture_function(tid);
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

-- Write table tid's capture function and point its four capture triggers at it.
CREATE OR REPLACE FUNCTION vsg.install_capture(tid int) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM vsg.write_capture(tid);
  PERFORM vsg.capture_triggers(tid);
END
$$;
