DROP TABLE IF EXISTS pg_temp.vsg_m_conf
