-- Version 23: a root that is a checkpoint, vouched for by chunks of rows.
--
-- `vsg track` of a table of 1,000 rows or more keeps its rows as a checkpoint
-- (vsg.<relname> of vsg.checkpoints, marked `root`: part of history, never
-- dropped as a cache is) instead of one change row each, and hashes them by
-- chunks of 1,024 rows in key order (hash scheme 3, docs/integrity.md): one
-- row of vsg.root_chunks a chunk. A chunk a `vsg forget` reached is unpacked:
-- its rows move to vsg.changes as the root's rows of scheme 2 (each with its
-- salt and row hash), its salt goes, and its seal (the chunk's hash and its
-- rows' hashes) is bound into the FORGET entry's hash (vsg.forgets.seal).
CREATE TABLE vsg.root_chunks (
  seq        bigint NOT NULL,   -- the ROOT commit
  chunk      int NOT NULL,      -- 0, 1, ... in key order
  rows       int NOT NULL,
  salt       bytea,             -- NULL once unpacked
  hash       bytea NOT NULL,
  seal       bytea,             -- set when unpacked
  keys       jsonb,             -- an unpacked chunk's keys, in key order
  forget_seq bigint,            -- the FORGET entry that unpacked it
  PRIMARY KEY (seq, chunk)
);
ALTER TABLE vsg.checkpoints ADD COLUMN root boolean;
ALTER TABLE vsg.forgets ADD COLUMN seal bytea;
ALTER TABLE vsg.commits DROP CONSTRAINT commits_hash_scheme_check,
  ADD CONSTRAINT commits_hash_scheme_check CHECK (hash_scheme IN (1, 2, 3));
