-- What checkout and restore ask before writing table $1 (HEAD $2) back to
-- commit $3, in one statement:
-- - its uncommitted changes: rows of vsg.pending (`pending_rows`, not netted),
--   and, with $5, netted per key as status counts them (inserted, updated,
--   deleted; NULL without $5: restore, which discards them all, does not ask,
--   and netting every pending row costs more than the reload that drops them);
-- - for the reload decision (src/core/reload.ts): the rows changed on the
--   state paths from HEAD to $3 (`path_changes`; only when $4, overwriting
--   uncommitted changes, or there are none), and the table's checkpoints
--   (sql/checkpoint/list.sql) as a JSON array;
-- - the depth of the common ancestor of $3 and HEAD (sql/history/lca.sql), which
--   the write-back's diff walks down to;
-- - the table's columns (name, type), from which src/core/sql/timetravel.ts
--   builds what forgetting no-op changes reads;
-- - whether a foreign key of another table references it (`referenced`): a
--   restore then checks the rows that reference it (src/ops/restore.ts).
-- ($4 and $5 read through `arg`, never as constants: see sql/commit/create.sql)
WITH arg AS MATERIALIZED (SELECT $4::boolean AS overwrite, $5::boolean AS counted
), net AS (
  SELECT key, (array_agg(before ORDER BY seq))[1] AS before, (array_agg(after ORDER BY seq DESC))[1] AS after
  FROM vsg.pending WHERE table_id = $1 GROUP BY key
), counts AS (
  SELECT count(*) FILTER (WHERE before IS NULL) AS inserted,
         count(*) FILTER (WHERE before IS NOT NULL AND after IS NOT NULL) AS updated,
         count(*) FILTER (WHERE after IS NULL) AS deleted
  FROM net WHERE before IS DISTINCT FROM after
), pending AS (
  SELECT count(*) AS n FROM vsg.pending WHERE table_id = $1
), cps AS (
  SELECT k.commit_id, k.relname, k.rows::text AS rows, k.signature
  FROM vsg.checkpoints k JOIN vsg.commits c ON c.id = k.commit_id
  WHERE k.table_id = $1::int
    AND vsg.checkpoint_usable(k.relname, k.rows)
  ORDER BY c.seq DESC
)
SELECT (SELECT n FROM pending)::text AS pending_rows,
       c.inserted::text, c.updated::text, c.deleted::text,
       CASE WHEN (SELECT overwrite FROM arg) OR (SELECT n FROM pending) = 0 THEN vsg.path_changes($2::text, $3::text) END::text AS path_changes,
       (SELECT coalesce(json_agg(cps), '[]') FROM cps)::text AS checkpoints,
       (SELECT depth FROM vsg.lca($3::text, $2::text))::text AS lca_depth,
       (SELECT coalesce(json_agg(json_build_object('name', a.attname, 'type', format_type(a.atttypid, a.atttypmod)) ORDER BY a.attnum), '[]')
        FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = t.relid AND a.attnum > 0 AND NOT a.attisdropped)::text AS columns,
       EXISTS (SELECT 1 FROM pg_catalog.pg_constraint f
               WHERE f.contype = 'f' AND f.confrelid = t.relid AND f.conrelid <> t.relid) AS referenced
FROM vsg.tracked t
LEFT JOIN LATERAL (SELECT * FROM counts WHERE (SELECT counted FROM arg)) c ON true
WHERE t.id = $1
