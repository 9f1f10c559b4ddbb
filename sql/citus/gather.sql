-- Rows captured on Citus shards into vsg.pending (sql/functions/gather_pending.sql, src/core/citus.ts).
SELECT vsg.gather_pending() AS moved
