-- started_at is the transaction's time: the tables of one merge across tables share it (merge-state.ts › mergeGroups).
INSERT INTO vsg.merges (table_id, branch, ours, theirs, theirs_ref, base, message, author, started_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
