SELECT CASE l.lanname WHEN 'sql' THEN pg_catalog.fmgr_sql_validator(p.oid) ELSE pg_catalog.plpgsql_validator(p.oid) END
FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_language l ON l.oid = p.prolang
WHERE p.pronamespace = 'vsg'::regnamespace AND l.lanname IN ('sql', 'plpgsql') AND p.proname = ANY ($1::text[])
