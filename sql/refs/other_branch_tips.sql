SELECT commit_id FROM vsg.refs WHERE table_id = $1 AND kind = 'branch' AND name <> $2
