SELECT vsg.write_capture(t.id)
FROM vsg.tracked t
WHERE t.untracked_at IS NULL AND EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = t.relid)
  AND (t.signature IS NULL OR t.signature - 'shape' = vsg.table_signature(t.relid))
