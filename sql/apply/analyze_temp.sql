ANALYZE pg_temp.vsg_apply
