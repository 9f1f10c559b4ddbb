INSERT INTO vsg.merge_conflicts (table_id, key, col, kind, base, ours, theirs)
SELECT $1, key, col, kind, base, ours, theirs FROM pg_temp.vsg_m_conf
