-- Whether boundary $2 of table $1 needs a base: something before it is pruned
-- (a parent, merge parent or source pruned already or by this prune,
-- pg_temp.vsg_prune), and no earlier prune kept one at it.
SELECT EXISTS (SELECT 1 FROM vsg.commits c CROSS JOIN LATERAL unnest(ARRAY[c.parent, c.merge_parent, c.source]) AS x
               JOIN vsg.commits p ON p.id = x
               WHERE c.id = $2::text AND (p.pruned IS NOT NULL OR EXISTS (SELECT 1 FROM pg_temp.vsg_prune t WHERE t.id = p.id)))
       AND NOT EXISTS (SELECT 1 FROM vsg.bases WHERE table_id = $1::int AND commit_id = $2::text) AS yes
