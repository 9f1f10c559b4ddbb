-- After the user's SQL ran in a commit's transaction: the table's columns and
-- key now (a statement may change them: a SCHEMA commit), and the id of the
-- transaction, which must still be the one the lock was taken in (the SQL was
-- checked before it ran; this is the backstop for transaction control that
-- got past the check).
SELECT (s->'columns')::text AS columns, (s->'key')::text AS key, txid_current()::text AS xid
FROM vsg.table_signature($1::oid) s
