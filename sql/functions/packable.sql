-- Whether the rows of table rel may be kept as a copy in schema vsg hashed by
-- chunks (hash scheme 3): every column of a type built into PostgreSQL with a
-- binary send form, and none named as vsg's own columns of such a copy
-- ("vsg:op", "vsg:b<i>", "vsg:k<n>": vsg.packed_select). A type of the user's (an enum, a domain, a composite, an
-- extension's) can be renamed, altered or dropped with CASCADE under the
-- copy, which would change history. Asked by sql/track/root_eligible.sql for
-- a root, and when a table's capture is written for a large statement
-- (sql/functions/write_capture.sql).
CREATE OR REPLACE FUNCTION vsg.packable(rel oid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
                     WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped
                       AND (t.oid >= 16384 OR t.typsend = 0 OR t.typnamespace <> 'pg_catalog'::regnamespace
                            -- (the names a copy of an UPDATE's or DELETE's rows gives its own columns: vsg.packed_exprs)
                            OR a.attname LIKE 'vsg:%'))
$$;
