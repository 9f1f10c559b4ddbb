-- Version 11: checkpoints and state commits, so that checking out a distant
-- state costs what reloading the table once costs.

ALTER TABLE vsg.commits ADD COLUMN source text REFERENCES vsg.commits(id);
ALTER TABLE vsg.commits ADD COLUMN sdepth int;
UPDATE vsg.commits SET sdepth = depth;
ALTER TABLE vsg.commits ALTER COLUMN sdepth SET NOT NULL;
-- A state commit does not count its rows when it is made (that would cost the
-- difference it avoids writing); `vsg show` counts them.
ALTER TABLE vsg.commits ALTER COLUMN inserted DROP NOT NULL;
ALTER TABLE vsg.commits ALTER COLUMN updated DROP NOT NULL;
ALTER TABLE vsg.commits ALTER COLUMN deleted DROP NOT NULL;
CREATE INDEX commits_state ON vsg.commits (table_id, seq) WHERE source IS NOT NULL;

CREATE TRIGGER commits_sdepth BEFORE INSERT ON vsg.commits FOR EACH ROW EXECUTE FUNCTION vsg.commits_sdepth();

-- Native copies of a table's rows as of one commit each.
CREATE TABLE vsg.checkpoints (
  commit_id  text PRIMARY KEY REFERENCES vsg.commits(id) ON DELETE CASCADE,
  table_id   int NOT NULL REFERENCES vsg.tracked(id) ON DELETE CASCADE,
  relname    text NOT NULL UNIQUE,   -- the copy: vsg.<relname>
  rows       bigint NOT NULL,
  signature  jsonb NOT NULL,         -- the table's columns when copied (vsg.tracked.signature)
  created_at timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX checkpoints_table ON vsg.checkpoints (table_id);

