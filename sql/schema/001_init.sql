-- vsg schema, version 1: tracked tables, commits, change sets, refs, and the
-- capture log that triggers on tracked tables fill.

CREATE TABLE vsg.tracked (
  id          serial PRIMARY KEY,
  relid       oid NOT NULL UNIQUE,          -- the table, by OID: renames keep their history
  schema_name text NOT NULL,
  table_name  text NOT NULL,
  key_columns text[] NOT NULL,              -- primary key columns, in key order
  head        text NOT NULL DEFAULT 'main', -- the branch the live table follows
  tracked_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);

CREATE TABLE vsg.refs (
  id        serial PRIMARY KEY,
  table_id  int NOT NULL REFERENCES vsg.tracked(id) ON DELETE CASCADE,
  kind      text NOT NULL CHECK (kind IN ('branch', 'tag')),
  name      text NOT NULL CHECK (name <> '' AND name !~ '[\s~^:]' AND name <> 'HEAD'),
  commit_id text NOT NULL,
  UNIQUE (table_id, name)
);

CREATE TABLE vsg.commits (
  seq          bigserial NOT NULL UNIQUE,
  id           text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
  table_id     int NOT NULL REFERENCES vsg.tracked(id) ON DELETE CASCADE,
  parent       text REFERENCES vsg.commits(id),   -- first parent: the branch's previous HEAD
  merge_parent text REFERENCES vsg.commits(id),   -- second parent of a merge
  depth        int NOT NULL,                      -- first-parent distance from the root
  branch_id    int,                               -- the branch it was made on
  kind         text NOT NULL,                     -- ROOT, COMMIT, CHECKOUT, ROLLBACK, MERGE
  operation    text NOT NULL,                     -- what happened: INSERT, UPDATE, DELETE, MIXED, NONE
  author       text NOT NULL,
  message      text NOT NULL,
  committed_at timestamptz NOT NULL,
  statement    text,
  meta         jsonb,
  inserted     bigint NOT NULL,
  updated      bigint NOT NULL,
  deleted      bigint NOT NULL,
  change_hash  text NOT NULL
);
-- History is linear per branch: two commits on one branch never share a parent,
-- whatever the code above does (a racing writer fails here instead of forking).
CREATE UNIQUE INDEX commits_linear ON vsg.commits (branch_id, parent);
CREATE INDEX commits_table ON vsg.commits (table_id, seq);
CREATE INDEX commits_parent ON vsg.commits (parent);

ALTER TABLE vsg.refs ADD FOREIGN KEY (commit_id) REFERENCES vsg.commits(id);

-- One row per changed key per commit. Images map column name to the value's
-- own text form (JSON null for SQL NULL); before is NULL for an insert, after
-- NULL for a delete. Deltas are relative to the commit's first parent.
CREATE TABLE vsg.changes (
  commit_id text NOT NULL REFERENCES vsg.commits(id) ON DELETE CASCADE,
  table_id  int NOT NULL,
  seq       bigint NOT NULL,        -- the commit's seq, for per-key history
  key       jsonb NOT NULL,
  before    jsonb,
  after     jsonb,
  PRIMARY KEY (commit_id, key)
);
CREATE INDEX changes_key ON vsg.changes (table_id, key, seq);

-- Changes captured on tracked tables and not yet committed: by vsg's own
-- statements (until the commit takes them, in the same transaction) and by
-- anyone else (until `vsg commit` records them or `vsg restore` discards them).
CREATE TABLE vsg.pending (
  seq      bigserial PRIMARY KEY,
  table_id int NOT NULL,
  xid      bigint NOT NULL DEFAULT txid_current(),
  key      jsonb NOT NULL,
  before   jsonb,
  after    jsonb,
  author   text DEFAULT current_setting('vsg.author', true),
  meta     text DEFAULT current_setting('vsg.meta', true)
);
CREATE INDEX pending_key ON vsg.pending (table_id, key);
CREATE INDEX pending_xid ON vsg.pending (table_id, xid);

-- Length-prefixed field for hashing: ('ab','c') and ('a','bc') never collide,
-- SQL NULL ('-') differs from the empty string ('0:').
CREATE FUNCTION vsg.lp(t text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN t IS NULL THEN '-' ELSE octet_length(t)::text || ':' || t END
$$;

-- The hash of one change: key and both images in jsonb's canonical text form.
CREATE FUNCTION vsg.change_digest(key jsonb, before jsonb, after jsonb) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
  SELECT sha256(convert_to(vsg.lp(key::text) || vsg.lp(before::text) || vsg.lp(after::text), 'UTF8'))
$$;

-- A commit's id: SHA-256 over every field that defines it, time in UTC to the microsecond.
CREATE FUNCTION vsg.commit_hash(parent text, merge_parent text, table_id int, kind text, operation text,
                                author text, message text, committed_at timestamptz, statement text,
                                meta jsonb, change_hash text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT encode(sha256(convert_to(
    'vsg-commit-1' || vsg.lp(parent) || vsg.lp(merge_parent) || vsg.lp(table_id::text) || vsg.lp(kind) ||
    vsg.lp(operation) || vsg.lp(author) || vsg.lp(message) ||
    vsg.lp(to_char(committed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')) ||
    vsg.lp(statement) || vsg.lp(meta::text) || vsg.lp(change_hash), 'UTF8')), 'hex')
$$;

-- SQL expression (over alias) that builds a row image: {"col": col::text, ...}.
-- jsonb_build_object takes at most 100 arguments, so wide tables are built in
-- chunks of 50 columns and concatenated.
CREATE FUNCTION vsg.image_expr(rel oid, alias text) RETURNS text LANGUAGE sql STABLE AS $$
  SELECT coalesce(string_agg(format('jsonb_build_object(%s)', pairs), ' || '), '''{}''::jsonb')
  FROM (
    SELECT string_agg(format('%L, %I.%I::text', attname, alias, attname), ', ' ORDER BY attnum) AS pairs
    FROM (SELECT attname, attnum, (row_number() OVER (ORDER BY attnum) - 1) / 50 AS grp
          FROM pg_catalog.pg_attribute
          WHERE attrelid = rel AND attnum > 0 AND NOT attisdropped) a
    GROUP BY grp
  ) g
$$;

-- SQL expression (over alias) that builds a key: {"pk1": pk1::text, ...}.
CREATE FUNCTION vsg.key_expr(key_columns text[], alias text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT format('jsonb_build_object(%s)', string_agg(format('%L, %I.%I::text', c, alias, c), ', ' ORDER BY n))
  FROM unnest(key_columns) WITH ORDINALITY AS k(c, n)
$$;

-- The capture trigger: one statement-level trigger per event on each tracked
-- table. Dynamic SQL (EXECUTE) is planned afresh each time, so a 1-row and a
-- 1,000-row statement in one session each get a plan that suits them. The SET
-- clauses make every text form canonical whatever the writer's session says.
CREATE FUNCTION vsg.capture() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  SET TimeZone = 'UTC' SET DateStyle = 'ISO, YMD' SET IntervalStyle = 'postgres'
  SET extra_float_digits = 3 SET bytea_output = 'hex'
AS $$
DECLARE
  tid int;
  keys text[];
  k text;
  img text;
BEGIN
  SELECT id, key_columns INTO tid, keys FROM vsg.tracked WHERE relid = TG_RELID;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  k := vsg.key_expr(keys, 'r');
  img := vsg.image_expr(TG_RELID, 'r');
  IF TG_OP = 'INSERT' THEN
    EXECUTE format('INSERT INTO vsg.pending (table_id, key, before, after) SELECT $1, %s, NULL, %s FROM vsg_new r', k, img) USING tid;
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE format('INSERT INTO vsg.pending (table_id, key, before, after) SELECT $1, %s, %s, NULL FROM vsg_old r', k, img) USING tid;
  ELSIF TG_OP = 'UPDATE' THEN
    EXECUTE format($q$INSERT INTO vsg.pending (table_id, key, before, after)
      SELECT $1, coalesce(o.k, n.k), o.i, n.i
      FROM (SELECT %1$s AS k, %2$s AS i FROM vsg_old r) o
      FULL JOIN (SELECT %1$s AS k, %2$s AS i FROM vsg_new r) n ON o.k = n.k
      WHERE o.i IS DISTINCT FROM n.i$q$, k, img) USING tid;
  ELSIF TG_OP = 'TRUNCATE' THEN
    EXECUTE format('INSERT INTO vsg.pending (table_id, key, before, after) SELECT $1, %s, %s, NULL FROM %s r', k, img, TG_RELID::regclass) USING tid;
  END IF;
  RETURN NULL;
END
$$;

-- Resolve a table name as SQL would (search_path, quoting), falling back to the
-- exact spelling for a mixed-case name given bare. NULL when there is none.
CREATE FUNCTION vsg.resolve_table(name text) RETURNS oid LANGUAGE plpgsql STABLE AS $$
BEGIN
  BEGIN
    RETURN coalesce(to_regclass(name)::oid, to_regclass(quote_ident(name))::oid);
  EXCEPTION WHEN others THEN
    -- not valid SQL name syntax: try it as one exact identifier
    RETURN to_regclass(quote_ident(name))::oid;
  END;
END
$$;
