-- Version 14: a commit across tables. A transaction that changes several
-- tracked tables is recorded as one commit: each table's part is a commit of
-- that table (its change rows, its parent on the table's branch, as before),
-- and the commit across tables is named by vsg.span_id over its parts' ids,
-- each of which covers its table's rows (row -> table -> part -> commit).
-- A part's rows stay when its table is untracked with its history deleted,
-- so that the commit's id still verifies (table_id says whose part it was).
CREATE TABLE vsg.commit_parts (
  id       text NOT NULL CHECK (id ~ '^[0-9a-f]{64}$'),  -- the commit across tables
  part     text PRIMARY KEY,                              -- a commit of one table (vsg.commits.id)
  table_id int NOT NULL
);
CREATE INDEX commit_parts_id ON vsg.commit_parts (id);
