SELECT count(*)::text AS n FROM vsg.migrations WHERE version = ANY($1::int[])
