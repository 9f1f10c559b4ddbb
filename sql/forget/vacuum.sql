-- After a forget committed: dead tuples still hold the old values until
-- vacuumed. VACUUM cannot run in a transaction block.
VACUUM vsg.changes
