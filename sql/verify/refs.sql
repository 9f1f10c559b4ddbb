-- Every branch and tag must point at an existing commit of its own table,
-- every tracked table must have its root commit, and every recorded schema
-- change must match what its SCHEMA commit hashed (meta 'vsg.schema').
--   $1 table_id or NULL
SELECT 'ref' AS kind, r.table_id::text, r.name, r.kind AS ref_kind, r.commit_id,
       CASE WHEN c.id IS NULL THEN 'dangling_ref' ELSE 'ref_table' END AS code,
       c.table_id::text AS actual
FROM vsg.refs r LEFT JOIN vsg.commits c ON c.id = r.commit_id
WHERE ($1::int IS NULL OR r.table_id = $1::int) AND (c.id IS NULL OR c.table_id <> r.table_id)
UNION ALL
SELECT 'table', t.id::text, NULL, NULL, NULL, 'no_root', NULL
FROM vsg.tracked t
WHERE ($1::int IS NULL OR t.id = $1::int)
  AND NOT EXISTS (SELECT 1 FROM vsg.commits c WHERE c.table_id = t.id AND c.kind = 'ROOT')
UNION ALL
SELECT 'change', x.table_id::text, NULL, NULL, NULL, 'orphan_change', count(*) || ' change rows of seq ' || x.seq
FROM vsg.changes x LEFT JOIN vsg.commits c ON c.seq = x.seq
WHERE ($1::int IS NULL OR x.table_id = $1::int) AND c.id IS NULL
GROUP BY x.table_id, x.seq
UNION ALL
SELECT 'schema', s.table_id::text, NULL, NULL, s.commit_id, 'schema_record', NULL
FROM vsg.schema_changes s LEFT JOIN vsg.commits c ON c.id = s.commit_id
WHERE ($1::int IS NULL OR s.table_id = $1::int)
  AND (c.id IS NULL OR c.meta->'vsg.schema' IS DISTINCT FROM jsonb_build_object('before', s.before, 'after', s.after))
UNION ALL
SELECT 'schema', c.table_id::text, NULL, NULL, c.id, 'schema_record', 'missing'
FROM vsg.commits c
WHERE ($1::int IS NULL OR c.table_id = $1::int) AND c.kind = 'SCHEMA'
  AND NOT EXISTS (SELECT 1 FROM vsg.schema_changes s WHERE s.commit_id = c.id)
ORDER BY 1, 2, 3
