-- PRUNE entries are appended one at a time (the chain has one tip), and a
-- prune runs alone.
LOCK TABLE vsg.prunes IN EXCLUSIVE MODE
