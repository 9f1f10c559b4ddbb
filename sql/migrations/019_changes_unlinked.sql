-- Version 19: no foreign key from a change row to its commit.
--
-- vsg.changes.commit_id referenced vsg.commits(id), which PostgreSQL checks
-- row by row: a commit of 200,000 rows ran 200,000 lookups of its own commit
-- row, and tracking a 1M-row table a million (about a fifth of its time).
-- Change rows are only ever written by the statement that writes their commit
-- (sql/commit/create.sql) and deleted before it (untrack --force) or without it
-- (prune), and `vsg verify` reports change rows whose commit does not exist
-- (orphan_change), as it did before. Nothing is rewritten.
DO $$
DECLARE c name;
BEGIN
  FOR c IN SELECT conname FROM pg_constraint
           WHERE conrelid = 'vsg.changes'::regclass AND contype = 'f' AND confrelid = 'vsg.commits'::regclass
  LOOP
    EXECUTE format('ALTER TABLE vsg.changes DROP CONSTRAINT %I', c);
  END LOOP;
END $$;
