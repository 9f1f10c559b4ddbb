-- FORGET entries are appended one at a time (the chain has one tip).
LOCK TABLE vsg.forgets IN EXCLUSIVE MODE
