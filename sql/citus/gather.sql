-- Rows captured on Citus shards into vsg.pending, of tables $1 (ids; NULL: all) (sql/functions/gather_pending.sql, src/core/gather.ts).
SELECT vsg.gather_pending($1::int[]) AS moved
