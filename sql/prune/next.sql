-- The seq the next PRUNE entry takes: the commits it prunes are marked with
-- it before the entry (which hashes them) is written.
SELECT nextval(pg_get_serial_sequence('vsg.prunes', 'seq'))::text AS seq
