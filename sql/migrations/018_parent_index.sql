-- Version 18: one index on a commit's parent instead of two.
--
-- commits_linear kept history linear per branch as UNIQUE (branch_id, parent),
-- and commits_parent (parent) served every lookup by parent: a commit's
-- children, and the foreign keys' checks when prune deletes. A unique index on
-- (parent, branch_id) holds exactly the same pairs unique and serves both, so
-- the second index goes: about 120 bytes less per commit, and one index
-- insert less in every commit.
CREATE UNIQUE INDEX commits_linear_new ON vsg.commits (parent, branch_id);
DROP INDEX vsg.commits_parent;
DROP INDEX vsg.commits_linear;
ALTER INDEX vsg.commits_linear_new RENAME TO commits_linear;
