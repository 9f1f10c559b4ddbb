-- Version 17: `vsg prune` drops the change rows of old commits and keeps, per
-- table, a base: the state at the point, row by row with its salt and row
-- hash (docs/prune.md).
--
-- A pruned commit keeps a compact header row in vsg.commits (id, parents,
-- table, seq, depth, change_hash, time), so that every link, ref lookup and
-- merge-base walk still works and every digest's ids are still there; its
-- change rows are deleted, and its author, message, statement and metadata
-- are blanked. `pruned` names the PRUNE entry (vsg.prunes.seq) that did it.
ALTER TABLE vsg.commits ADD COLUMN pruned bigint;
CREATE INDEX commits_pruned ON vsg.commits (pruned, seq) WHERE pruned IS NOT NULL;

-- One entry per `vsg prune`, hash-chained as vsg.forgets is: who, when, why,
-- the point, how many commits it pruned and a hash over their ids (seq
-- order), the bases it kept (a JSON array of {table, commit, rows, hash}),
-- and the forgotten change rows and cells it deleted (so that verify's
-- forget counts still add up).
CREATE TABLE vsg.prunes (
  seq         bigserial PRIMARY KEY,
  id          text NOT NULL UNIQUE CHECK (id ~ '^[0-9a-f]{64}$'),
  prev        text REFERENCES vsg.prunes(id),
  author      text NOT NULL,
  message     text NOT NULL,
  at          timestamptz NOT NULL,
  point       text NOT NULL,     -- what --before named, resolved: a commit id, or a time (ISO 8601, UTC)
  commits     bigint NOT NULL,   -- commits pruned
  commits_hash text NOT NULL,    -- SHA-256 over their ids, in seq order (vsg.pruned_hash)
  bases       jsonb NOT NULL,    -- [{table_id, commit, rows, hash}]
  forgotten   jsonb NOT NULL     -- {table_id: [rows, cells]} of forgotten change rows deleted
);
CREATE UNIQUE INDEX prunes_chain ON vsg.prunes ((coalesce(prev, '')));

-- A base: the state of one table at one commit, row by row, each row with its
-- own salt and row hash (vsg.row_hash over an insert of the row), so that a
-- value in it can be forgotten as a change row's is (salt dropped, row hash
-- kept). Its hash (vsg.base_hash) covers the row hashes in key order, never
-- the values. A prune keeps one per table, at its boundary.
CREATE TABLE vsg.bases (
  id        serial PRIMARY KEY,
  table_id  int NOT NULL REFERENCES vsg.tracked(id) ON DELETE CASCADE,
  commit_id text NOT NULL REFERENCES vsg.commits(id),
  rows      bigint NOT NULL,
  hash      text NOT NULL,
  made_at   timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX bases_table ON vsg.bases (table_id);

CREATE TABLE vsg.base_rows (
  base_id   int NOT NULL REFERENCES vsg.bases(id) ON DELETE CASCADE,
  key       jsonb NOT NULL,
  image     jsonb NOT NULL,
  salt      bytea,
  row_hash  bytea NOT NULL,
  forgotten text[],
  PRIMARY KEY (base_id, key)
);
