UPDATE vsg.commits SET parent = NULL, merge_parent = NULL, source = NULL WHERE table_id = $1
