-- Finding the CHECKOUT commits of a given commit's rows (their metadata names
-- the source, and is covered by the commit id): a write-back of that commit
-- can start from the newest one on HEAD's first-parent chain instead of
-- reading every change back to the commit itself (sql/timetravel/same_state.sql).
CREATE INDEX commits_checkout_source ON vsg.commits ((meta ->> 'source')) WHERE kind = 'CHECKOUT';
