-- The checkpoints a reload may read (sql/checkpoint/list.sql: caches, not a
-- root's, which is history and verified by its chunks in sql/verify/roots.sql)
-- of table $1 (NULL: every table), oldest commit first, each with its table's
-- key columns, the copy's columns as the catalog has them, and `reshaped`: the
-- names (each it had) of every column whose type a SCHEMA commit of the table
-- up to the checkpoint's changed, or that one dropped. History does not hold
-- the values PostgreSQL rewrote in such a column (a row's last image keeps its
-- text of before), so src/core/sql/verify.ts compares the others only.
--   $1 table_id or NULL
SELECT k.table_id::text, k.commit_id, k.relname, k.rows::text, to_json(t.key_columns)::text AS key_columns,
       (SELECT json_agg(json_build_object('name', a.attname) ORDER BY a.attnum)
        FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = to_regclass(format('vsg.%I', k.relname)) AND a.attnum > 0 AND NOT a.attisdropped)::text AS columns,
       (WITH s AS (
          SELECT sc.meta->'vsg.schema' AS m FROM vsg.commits sc
          WHERE sc.table_id = k.table_id AND sc.kind = 'SCHEMA' AND sc.seq <= c.seq
        ), changed AS (
          SELECT b->>'num' AS num FROM s, jsonb_array_elements(s.m->'before') b
          WHERE NOT EXISTS (SELECT 1 FROM jsonb_array_elements(s.m->'after') a WHERE a->>'num' = b->>'num' AND a->>'type' = b->>'type')
        )
        SELECT coalesce(json_agg(DISTINCT e->>'name'), '[]')::text
        FROM s, jsonb_array_elements(coalesce(s.m->'before', '[]') || coalesce(s.m->'after', '[]')) e
        WHERE e->>'num' IN (SELECT num FROM changed)) AS reshaped
FROM vsg.checkpoints k
JOIN vsg.commits c ON c.id = k.commit_id
JOIN vsg.tracked t ON t.id = k.table_id
WHERE k.root IS NULL
  AND ($1::int IS NULL OR k.table_id = $1::int)
  AND vsg.checkpoint_usable(k.relname, k.rows)
ORDER BY c.seq
