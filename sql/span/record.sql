-- Name the parts $1 (commits of one table each, made in this transaction) as
-- one commit across tables; returns its id.
INSERT INTO vsg.commit_parts (id, part, table_id)
SELECT vsg.span_id($1::text[]), c.id, c.table_id FROM vsg.commits c WHERE c.id = ANY($1::text[])
RETURNING id
