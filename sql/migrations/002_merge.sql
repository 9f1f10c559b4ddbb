-- Version 2: merges in progress (vsg.merges) and their conflicts, one row per
-- conflicting cell or row.

CREATE TABLE vsg.merges (
  table_id   int PRIMARY KEY REFERENCES vsg.tracked(id) ON DELETE CASCADE,
  branch     text NOT NULL,            -- the branch merged into
  ours       text NOT NULL,            -- its HEAD when the merge started
  theirs     text NOT NULL,            -- the commit merged in
  theirs_ref text NOT NULL,            -- as the user named it
  base       text NOT NULL,            -- the merge base used (two, space-separated, for a criss-cross)
  message    text,                     -- -m given to the merge, if any
  author     text NOT NULL,
  started_at timestamptz NOT NULL DEFAULT clock_timestamp()
);

-- One row per conflicting cell (col set) or row (col NULL: update against
-- delete). Values are jsonb: for a cell its text form as a JSON string (JSON
-- null for SQL NULL, SQL NULL when the image lacks the column); for a row the
-- whole image (SQL NULL for "no row"). `value` is the resolution once resolved.
CREATE TABLE vsg.merge_conflicts (
  seq      bigserial PRIMARY KEY,
  table_id int NOT NULL REFERENCES vsg.merges(table_id) ON DELETE CASCADE,
  key      jsonb NOT NULL,
  col      text,
  kind     text NOT NULL CHECK (kind IN ('update/update', 'insert/insert', 'update/delete', 'delete/update')),
  base     jsonb,
  ours     jsonb,
  theirs   jsonb,
  resolved boolean NOT NULL DEFAULT false,
  value    jsonb
);
CREATE UNIQUE INDEX merge_conflicts_cell ON vsg.merge_conflicts (table_id, key, coalesce(col, ''));
