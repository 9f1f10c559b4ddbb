-- Schema changes made through `vsg commit "ALTER TABLE ..."`: a SCHEMA commit
-- keeps the table's columns before and after, so that log, show and diff can
-- say what changed and write-back can refuse rows it cannot restore exactly.
CREATE TABLE vsg.schema_changes (
  commit_id text PRIMARY KEY REFERENCES vsg.commits(id) ON DELETE CASCADE,
  table_id  int NOT NULL,
  before    jsonb NOT NULL,   -- [{"num": 1, "name": "id", "type": "integer"}, ...]
  after     jsonb NOT NULL
);
