-- The newest untracked history named $1 (schema.table, or $2 the bare name of
-- a table of schema public), by the name it had when untracked.
SELECT t.id::text AS id FROM vsg.tracked t
WHERE t.untracked_at IS NOT NULL
  AND (t.schema_name || '.' || t.table_name = $1 OR (t.schema_name = 'public' AND t.table_name = $2)
       OR format('%I.%I', t.schema_name, t.table_name) = $1 OR (t.schema_name = 'public' AND quote_ident(t.table_name) = $2))
ORDER BY t.untracked_at DESC, t.id DESC
LIMIT 1
