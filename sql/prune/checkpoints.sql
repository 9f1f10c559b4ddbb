-- Checkpoints (caches, docs/storage.md) of commits in pg_temp.vsg_prune: a
-- reload from one would read pruned history. Removed from the list; the
-- caller drops their tables.
DELETE FROM vsg.checkpoints k USING pg_temp.vsg_prune p WHERE k.commit_id = p.id RETURNING k.relname
