SELECT id::text, schema_name AS s, table_name AS t FROM vsg.tracked
