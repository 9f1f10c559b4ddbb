-- Tidy vsg.pending (src/core/pending.ts tidyPending): after a commit that
-- took many rows, or when the statistics say dead rows dominate. SKIP_LOCKED:
-- another VACUUM of it at work (autovacuum, another vsg) does it already.
VACUUM (SKIP_LOCKED) vsg.pending
