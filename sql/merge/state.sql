SELECT branch, ours, theirs, theirs_ref, base, message, author FROM vsg.merges WHERE table_id = $1
