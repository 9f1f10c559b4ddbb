-- Whether table $1's merge has a conflict at key $2 (and column $3, or a row-level one, when given).
SELECT 1 FROM vsg.merge_conflicts WHERE table_id = $1 AND key = $2::jsonb AND ($3::text IS NULL OR col = $3::text OR col IS NULL) LIMIT 1
