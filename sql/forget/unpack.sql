-- The chunks of table $1's commits kept packed (hash scheme 3: its root, its
-- large statements) that hold keys in pg_temp.vsg_forget, unpacked into change
-- rows before they are blanked (vsg.root_unpack); the name of each copy it
-- unpacked from, for the vacuum.
SELECT r.rel FROM vsg.root_unpack($1::int, vsg.statement_seed()) AS r(rel)
