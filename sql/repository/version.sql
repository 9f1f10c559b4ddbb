SELECT max(version)::text AS v FROM vsg.migrations
