SELECT DISTINCT k.name FROM pg_temp.vsg_apply s, jsonb_object_keys(s.img) AS k(name)
WHERE s.img IS NOT NULL AND NOT (k.name = ANY($1::text[])) ORDER BY 1
