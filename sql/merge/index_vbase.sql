CREATE INDEX ON pg_temp.vsg_m_vbase (key)
