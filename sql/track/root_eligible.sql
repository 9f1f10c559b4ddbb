-- Whether `vsg track` may keep the rows of table $1 (a relation oid) as a
-- checkpoint hashed by chunks (hash scheme 3, src/core/checkpoint.ts ›
-- packedRoot): vsg's role may create tables in schema vsg, and every column is
-- of a type built into PostgreSQL with a binary send form (vsg.packable); a
-- table with a type of the user's keeps a root of change rows (scheme 2).
-- And whether its chunks may be hashed on a second connection beside the copy
-- (`aside`): not where row-level security is on, whose policies may read the
-- session's own settings and so show the second session other rows.
SELECT has_schema_privilege('vsg', 'CREATE') AND vsg.packable($1::oid) AS may,
       NOT (SELECT c.relrowsecurity FROM pg_catalog.pg_class c WHERE c.oid = $1::oid) AS aside
