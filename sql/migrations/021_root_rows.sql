-- Version 21: a root's change rows are kept out of changes_key.
--
-- `vsg track` writes one change row for every row of the table (its ROOT
-- commit), and changes_key (table_id, key, seq) held an entry for each: as
-- large as the primary key's, and about as costly to write (inserting 1M root
-- rows into vsg.changes took 8 s with the index, 4.5 s without it). A root
-- row is marked `root` (true, or NULL for every other row) and the index is
-- partial: a reader that looks up a key's history finds its root row through
-- the primary key (seq, key), at the root commit's seq (vsg.key_changes).
-- Rows written before keep `root` NULL and their index entries; nothing is
-- rewritten, the index is built once.
ALTER TABLE vsg.changes ADD COLUMN root boolean;
CREATE INDEX changes_key_21 ON vsg.changes (table_id, key, seq) WHERE root IS NULL;
DROP INDEX vsg.changes_key;
ALTER INDEX vsg.changes_key_21 RENAME TO changes_key;
