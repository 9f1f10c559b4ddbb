-- A table's columns (number, name, type) and primary key (attnums), as
-- vsg.tracked.signature and SCHEMA commits keep them.
-- PL/pgSQL rather than SQL: a SQL function with subqueries is never inlined,
-- so each call planned its query again (~90 us, twice in every commit); a
-- PL/pgSQL function keeps its plan for the session.
CREATE OR REPLACE FUNCTION vsg.table_signature(rel oid) RETURNS jsonb LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN jsonb_build_object(
    'columns', coalesce((SELECT jsonb_agg(jsonb_build_object('num', a.attnum, 'name', a.attname, 'type', format_type(a.atttypid, a.atttypmod)) ORDER BY a.attnum)
                         FROM pg_catalog.pg_attribute a
                         WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped), '[]'),
    'key', (SELECT to_jsonb(i.indkey::int2[]) FROM pg_catalog.pg_index i WHERE i.indrelid = rel AND i.indisprimary));
END
$$;
