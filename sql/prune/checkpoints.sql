-- Checkpoints (caches, docs/storage.md) of commits in pg_temp.vsg_prune: a
-- reload from one would read pruned history. Removed from the list; the
-- caller drops their tables, and the copies of the pruned commits kept packed
-- (hash scheme 3: a large statement's vsg.packed_<seq>), whose chunks
-- sql/prune/drop.sql deletes.
WITH d AS (
  DELETE FROM vsg.checkpoints k USING pg_temp.vsg_prune p WHERE k.commit_id = p.id RETURNING k.relname
)
SELECT relname FROM d
UNION ALL
SELECT 'packed_' || c.seq FROM pg_temp.vsg_prune p JOIN vsg.commits c ON c.id = p.id
WHERE c.hash_scheme = 3 AND c.kind <> 'ROOT' AND to_regclass(format('vsg.%I', 'packed_' || c.seq)) IS NOT NULL
