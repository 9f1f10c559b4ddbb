-- A type change in the same commit as a large statement of table $1, whose
-- rows the capture staged in the session's tables or packed in a copy of the
-- columns as they were then (sql/functions/write_capture.sql): the statement's
-- rows move into vsg.pending under their capture's sequence numbers
-- (vsg.take_captured returns them and marks them taken), where the type
-- change's mending (src/core/retype.ts) reaches them as it does every other
-- uncommitted change. The commit then takes them as change rows (hash scheme 2).
INSERT INTO vsg.pending (seq, table_id, key, before, after, author, meta)
SELECT c.seq, $1::int, c.key, c.before, c.after, c.author, c.meta FROM vsg.take_captured($1::int, true) c
