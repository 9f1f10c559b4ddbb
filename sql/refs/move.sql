UPDATE vsg.refs SET commit_id = $1 WHERE id = $2 AND commit_id = $3
