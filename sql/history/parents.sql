SELECT parent, merge_parent FROM vsg.commits WHERE id = $1
