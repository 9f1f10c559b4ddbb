SELECT col FROM vsg.merge_conflicts WHERE table_id = $1 AND key = $2::jsonb
