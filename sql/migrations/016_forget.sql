-- Version 16: `vsg forget` blanks values in history and keeps the chain.
-- A change row some of whose values were forgotten keeps its key, its row
-- hash and the shape of its images (an insert stays an insert), its salt is
-- deleted, and each forgotten cell of its images holds a marker
-- {"forgotten": "<hex>"} instead of the value's text form (a value is always a
-- JSON string or null, so a marker, an object, cannot be a value; see
-- vsg.forget_image). `forgotten` lists the columns forgotten in that row
-- (NULL: none).
ALTER TABLE vsg.changes ADD COLUMN forgotten text[];
-- Readers and write-backs ask "has this table forgotten anything?" cheaply.
CREATE INDEX changes_forgotten ON vsg.changes (table_id) WHERE forgotten IS NOT NULL;

-- One entry per `vsg forget`, hash-chained (each id covers the previous
-- entry's id and every field): who, when, why, which table and columns, and how
-- many change rows and cells were blanked. Never the values, never the keys.
-- Not a commit: commits and their ids stay exactly as they were, so digests
-- taken before a forget still verify.
CREATE TABLE vsg.forgets (
  seq       bigserial PRIMARY KEY,
  id        text NOT NULL UNIQUE CHECK (id ~ '^[0-9a-f]{64}$'),
  prev      text REFERENCES vsg.forgets(id),
  table_id  int NOT NULL,
  author    text NOT NULL,
  message   text NOT NULL,
  at        timestamptz NOT NULL,
  columns   text[],            -- NULL: whole rows (every column but the key)
  keys      bigint NOT NULL,   -- rows of the table (distinct keys) whose history was blanked
  rows      bigint NOT NULL,   -- change rows blanked for the first time
  cells     bigint NOT NULL,   -- cells newly blanked (count of columns added to vsg.changes.forgotten)
  live      text               -- the commit that deleted or nulled the live rows (--live), if any
);
CREATE UNIQUE INDEX forgets_chain ON vsg.forgets ((coalesce(prev, '')));
