SELECT f.name, f.checksum,
       EXISTS (SELECT 1 FROM pg_catalog.pg_proc p WHERE p.pronamespace = 'vsg'::regnamespace AND p.proname = f.name) AS present
FROM vsg.functions f
