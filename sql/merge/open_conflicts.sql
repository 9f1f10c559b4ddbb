SELECT key::text, col, kind, base::text, ours::text, theirs::text, resolved::text, value::text
FROM vsg.merge_conflicts WHERE table_id = $1 AND NOT resolved
