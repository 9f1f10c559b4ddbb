SELECT vsg.write_capture(t.id)
FROM vsg.tracked t
WHERE EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = t.relid)
  AND (t.signature IS NULL OR t.signature - 'shape' = vsg.table_signature(t.relid))
