-- Version 1: tracked tables, commits, change sets, refs, and the capture log
-- that triggers on tracked tables fill. Stored functions: sql/functions/.

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

