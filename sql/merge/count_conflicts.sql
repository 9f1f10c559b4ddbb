SELECT count(*)::text AS n FROM vsg.merge_conflicts WHERE table_id = $1
