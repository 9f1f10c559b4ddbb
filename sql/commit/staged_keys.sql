-- Whether this transaction's capture staged changes of table $1 (a large
-- statement of the commit's own SQL: vsg.captured_keys) that no commit took yet.
SELECT EXISTS (SELECT 1 FROM vsg.captured_keys($1::int)) AS staged
