-- Version 13: a commit's change set is hashed row -> table -> commit, each
-- row with a random salt of its own (docs/integrity.md). Earlier commits keep
-- the flat hash they were made with (scheme 1) and verify as before; NULL
-- salt and row_hash on their change rows.
--   scheme 1: change_hash = SHA-256 over vsg.change_digest(key, before, after)
--             of every change row, in key order
--   scheme 2: vsg.row_hash(salt, table, key, before, after) per row, stored;
--             vsg.table_hash over a table's row hashes in key order;
--             change_hash = vsg.change_set_hash over vsg.table_entry(table, table hash)
--             in table order
-- A row whose values and salt are blanked keeps its row_hash, so its commit
-- still verifies.
ALTER TABLE vsg.changes ADD COLUMN salt bytea;
ALTER TABLE vsg.changes ADD COLUMN row_hash bytea;
-- Every commit already made is scheme 1; every commit made from now on, 2.
ALTER TABLE vsg.commits ADD COLUMN hash_scheme smallint NOT NULL DEFAULT 1 CHECK (hash_scheme IN (1, 2));
ALTER TABLE vsg.commits ALTER COLUMN hash_scheme SET DEFAULT 2;
