-- Version 6: SCHEMA commits keep the table's columns before and after.

CREATE TABLE vsg.schema_changes (
  commit_id text PRIMARY KEY REFERENCES vsg.commits(id) ON DELETE CASCADE,
  table_id  int NOT NULL,
  before    jsonb NOT NULL,   -- [{"num": 1, "name": "id", "type": "integer"}, ...]
  after     jsonb NOT NULL
);
