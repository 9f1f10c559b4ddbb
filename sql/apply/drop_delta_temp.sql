DROP TABLE IF EXISTS pg_temp.vsg_delta
