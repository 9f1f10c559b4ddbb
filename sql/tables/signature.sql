-- A table's columns (attnum, name, type) and primary key, to detect schema changes.
SELECT (s->'columns')::text AS columns, (s->'key')::text AS key FROM vsg.table_signature($1::oid) s
