-- The order in which commits $1 were made (vsg.commits.seq): a commit across
-- tables checks --parent by it, table by table, and a table's state at a
-- commit made elsewhere is read up to it (src/core/refs.ts › stateAt).
SELECT id, seq::text FROM vsg.commits WHERE id = ANY($1::text[])
