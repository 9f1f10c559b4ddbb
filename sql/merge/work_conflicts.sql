SELECT key::text, col, kind, base::text, ours::text, theirs::text, resolved::text, value::text
FROM pg_temp.vsg_m_conf
