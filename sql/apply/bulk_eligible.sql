-- Why write-back into table $1 may not take the bulk path, or NULL when it may.
-- The bulk path (src/engine/apply-bulk.ts) writes with plain DELETE, UPDATE and
-- INSERT, so constraints, foreign keys and triggers act as on any write; but it
-- records the changed rows itself, from row images built in vsg's own session
-- (not under the capture's search_path), so it needs a plain table whose
-- statements reach exactly the rows they name and whose values print the same
-- under any search_path (the reg* types print names relative to it).
WITH RECURSIVE types(oid) AS (
  SELECT a.atttypid FROM pg_catalog.pg_attribute a
  WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
  UNION
  -- what a type is built from: a domain's base, an array's element, a composite's fields, a range's subtype
  SELECT x.oid FROM types t
  JOIN pg_catalog.pg_type y ON y.oid = t.oid
  CROSS JOIN LATERAL (
    SELECT y.typbasetype WHERE y.typbasetype <> 0
    UNION ALL SELECT y.typelem WHERE y.typelem <> 0
    UNION ALL SELECT a.atttypid FROM pg_catalog.pg_attribute a
              WHERE y.typrelid <> 0 AND a.attrelid = y.typrelid AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL SELECT r.rngsubtype FROM pg_catalog.pg_range r WHERE r.rngtypid = y.oid
  ) x(oid)
)
SELECT CASE
  WHEN c.relkind <> 'r' THEN 'not a plain table'
  WHEN c.relrowsecurity THEN 'row-level security is enabled'
  WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i WHERE i.inhparent = c.oid) THEN 'other tables inherit from it'
  WHEN EXISTS (SELECT 1 FROM pg_catalog.pg_rewrite w WHERE w.ev_class = c.oid AND w.rulename <> '_RETURN') THEN 'it has rules'
  WHEN EXISTS (SELECT 1 FROM types t JOIN pg_catalog.pg_type y ON y.oid = t.oid
               WHERE y.typnamespace = 'pg_catalog'::regnamespace AND y.typname LIKE 'reg%')
    THEN 'a column of a reg* type'
END AS reason
FROM pg_catalog.pg_class c
WHERE c.oid = $1::oid
