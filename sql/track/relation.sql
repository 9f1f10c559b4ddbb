-- Table $1 (an oid): its schema, name and kind, and whether vsg's role may
-- create tables in schema vsg (a root commit is a copy of the table there;
-- without that right it is recorded as change rows, as before version 17).
SELECT n.nspname, c.relname, c.relkind, has_schema_privilege('vsg', 'CREATE') AS may_copy FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = $1::oid
