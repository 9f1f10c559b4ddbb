-- Version 22: each table's ROOT commit is found by one probe of its own index.
--
-- A reader of one key's history reaches the key's root row through the root
-- commit's seq (vsg.key_changes, `vsg untrack --force`). Asked for as the
-- table's first ROOT, the planner could not know that the root comes first and
-- scanned every commit; asked for as the table's first commit in (table_id,
-- seq) order, its plan still depends on the estimate of the table's share of
-- vsg.commits. A partial index holds only the roots (one a table), so the
-- lookup is one probe whatever the statistics say, and costs nothing to keep.
CREATE INDEX commits_root ON vsg.commits (table_id, seq) WHERE kind = 'ROOT';
