CREATE TEMP TABLE vsg_m_conf ON COMMIT DROP AS
SELECT key, col, kind, base, ours, theirs, resolved, value FROM vsg.merge_conflicts WHERE table_id = $1
