SELECT count(*)::text AS n FROM vsg.commits WHERE table_id = $1
