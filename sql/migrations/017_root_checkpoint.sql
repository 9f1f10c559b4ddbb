-- Version 17: a root commit is a checkpoint. `vsg track` copies the table
-- once (vsg.checkpoint_root_<table id>, listed in vsg.checkpoints) instead of
-- writing one change row per row, and its commit's change_hash covers a hash
-- of that copy's rows (hash scheme 3, docs/integrity.md). The copy is the
-- root's state: kept as long as the history, never pruned. Roots made before
-- keep their change rows and their scheme.
ALTER TABLE vsg.commits DROP CONSTRAINT commits_hash_scheme_check;
ALTER TABLE vsg.commits ADD CONSTRAINT commits_hash_scheme_check CHECK (hash_scheme IN (1, 2, 3));
