-- The chunks of table $1's root (hash scheme 3) that hold keys in
-- pg_temp.vsg_forget, unpacked into change rows before they are blanked
-- (vsg.root_unpack); the checkpoint's name when any was, for the vacuum.
SELECT vsg.root_unpack($1::int, vsg.statement_seed()) AS rel
