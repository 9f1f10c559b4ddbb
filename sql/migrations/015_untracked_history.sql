-- Version 15: `vsg untrack` is a commit that keeps history. An untracked
-- table keeps its vsg.tracked row (untracked_at set, its name as it was then),
-- its commits, change rows and refs, so that its past stays readable and
-- verifies; its capture triggers, capture function, uncommitted changes and
-- checkpoints go. The same relation may be tracked again later: a new row, a
-- new history. So a relation is unique among the tables tracked now only.
ALTER TABLE vsg.tracked ADD COLUMN untracked_at timestamptz;
-- (the UNIQUE of 001_init.sql, named as PostgreSQL names it)
ALTER TABLE vsg.tracked DROP CONSTRAINT tracked_relid_key;
CREATE UNIQUE INDEX tracked_relid ON vsg.tracked (relid) WHERE untracked_at IS NULL;
