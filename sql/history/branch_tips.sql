-- The commits the branches of some tables stand at (log --all starts from each).
SELECT DISTINCT commit_id FROM vsg.refs WHERE kind = 'branch' AND table_id = ANY($1::int[]) ORDER BY commit_id
