UPDATE pg_temp.vsg_m_conf SET resolved = true, value = CASE WHEN col IS NOT NULL THEN $1::jsonb
ELSE (SELECT jsonb_object_agg(k, $1::jsonb) FROM jsonb_object_keys(coalesce(ours, theirs)) AS k) END
