SELECT count(*)::text AS n FROM vsg.commits c WHERE NOT EXISTS (SELECT 1 FROM vsg.commit_graph g WHERE g.seq = c.seq)
