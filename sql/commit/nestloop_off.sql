-- Plan the transaction's next statements without nested loops (src/core/retype.ts);
-- answers the setting as it was, for sql/commit/nestloop_as.sql to put back.
SELECT current_setting('enable_nestloop') AS was, set_config('enable_nestloop', 'off', true) AS now
