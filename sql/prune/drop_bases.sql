-- Bases kept by an earlier prune at a commit this one drops: the new base
-- supersedes them (their rows go with them; verify accepts a base missing
-- when a later PRUNE entry pruned its commit). Answers, per table, the base
-- rows deleted that vsg forget had blanked, and their cells, for verify's
-- forget counts.
WITH d AS (
  DELETE FROM vsg.bases b USING pg_temp.vsg_prune p WHERE b.commit_id = p.id RETURNING b.id, b.table_id
)
SELECT d.table_id::text, count(r.key)::text AS forgotten, coalesce(sum(cardinality(r.forgotten)), 0)::text AS cells
FROM d JOIN vsg.base_rows r ON r.base_id = d.id AND r.forgotten IS NOT NULL
GROUP BY d.table_id
