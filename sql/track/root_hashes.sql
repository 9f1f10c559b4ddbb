-- The chunks of table $1 (a relation oid) as the root kept as a checkpoint
-- will hold them (vsg.root_chunk_hashes: key columns $2, seed $3), read from
-- the table itself on a second connection while the first copies it
-- (src/core/checkpoint.ts › packedRoot): the table is locked against writers
-- from before either began, so both read the same rows.
SELECT ord::text, chunk::text, rows::text, encode(salt, 'hex') AS salt, encode(hash, 'hex') AS hash, first_key::text AS first_key,
       last_key::text AS last_key
FROM vsg.root_chunk_hashes($1::oid::regclass, $2::text[], $3::bytea, NULL)
