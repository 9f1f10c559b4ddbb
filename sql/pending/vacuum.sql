-- Tidy vsg.pending after a commit that took many rows (src/core/pending.ts).
VACUUM vsg.pending
