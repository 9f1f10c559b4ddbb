-- Version 10: capture at less per statement. The capture functions are
-- rewritten by init when their generator changes (sql/functions/write_capture.sql).

-- The column check of 008's capture functions, replaced by vsg.column_check.
DROP FUNCTION IF EXISTS vsg.column_fingerprint(oid);

-- No query finds a pending row by its seq (they are found by table and key, or
-- by table and transaction, and ordered by seq among those), yet every
-- captured row paid for an entry in its primary key's index.
ALTER TABLE vsg.pending DROP CONSTRAINT pending_pkey;
