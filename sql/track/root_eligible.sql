-- Whether `vsg track` may keep the rows of table $1 (a relation oid) as a
-- checkpoint hashed by chunks (hash scheme 3, src/core/checkpoint.ts ›
-- packedRoot): vsg's role may create tables in schema vsg, and every column is
-- of a type built into PostgreSQL with a binary send form. A type of the
-- user's (an enum, a domain, a composite, an extension's) can be renamed,
-- altered or dropped with CASCADE under the checkpoint, which would change
-- history; such a table's root stays change rows (scheme 2).
-- And whether its chunks may be hashed on a second connection beside the copy
-- (`aside`): not where row-level security is on, whose policies may read the
-- session's own settings and so show the second session other rows.
SELECT has_schema_privilege('vsg', 'CREATE')
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
                   WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped
                     AND (t.oid >= 16384 OR t.typsend = 0 OR t.typnamespace <> 'pg_catalog'::regnamespace)) AS may,
       NOT (SELECT c.relrowsecurity FROM pg_catalog.pg_class c WHERE c.oid = $1::oid) AS aside
