-- The commits across tables that the commits $1 are parts of: one row per
-- part of each, `asked` being the commit of $1 that led to it (table order).
SELECT q.part AS asked, p.id AS span, p.part, p.table_id::text
FROM vsg.commit_parts q JOIN vsg.commit_parts p ON p.id = q.id
WHERE q.part = ANY($1::text[])
ORDER BY p.id, p.table_id
