SELECT count(*)::text AS n FROM vsg.pending WHERE table_id = $1
