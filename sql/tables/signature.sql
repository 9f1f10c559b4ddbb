-- A table's columns (attnum, name, type) and primary key, to detect schema changes.
SELECT coalesce((SELECT jsonb_agg(jsonb_build_object('num', a.attnum, 'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod)) ORDER BY a.attnum)
                 FROM pg_catalog.pg_attribute a
                 WHERE a.attrelid = $1::oid AND a.attnum > 0 AND NOT a.attisdropped), '[]')::text AS columns,
       coalesce((SELECT to_jsonb(i.indkey::int2[]) FROM pg_catalog.pg_index i WHERE i.indrelid = $1::oid AND i.indisprimary), 'null')::text AS key
