SELECT name FROM vsg.functions WHERE NOT (name = ANY ($1::text[])) ORDER BY name
