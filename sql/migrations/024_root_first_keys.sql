-- Version 24: each chunk of a root kept as a checkpoint (hash scheme 3) knows
-- its first key.
--
-- `vsg forget` finds the chunk holding a key by it (the packed chunk with the
-- greatest first key not above the key, in the key columns' own types) and
-- reads the chunk's rows from it through the checkpoint's key index, instead
-- of numbering every row of the checkpoint (sql/functions/root_unpack.sql).
-- The first key is the key image of the chunk's first row in key order, as
-- vsg.key_expr builds it ({"col": "text form"}); an index, not part of the
-- chunk's hash: `vsg verify` checks it against the chunk's rows
-- (chunk_first_key). NULL once the chunk is unpacked (its keys are in `keys`).
ALTER TABLE vsg.root_chunks ADD COLUMN first_key jsonb;
-- The roots tracked before: the i-th run of 1,024 rows of a checkpoint in key
-- order is its i-th chunk still packed (a chunk unpacked left it whole).
UPDATE vsg.root_chunks rc SET first_key = f.first_key
FROM (SELECT p.seq, p.chunk, x.first_key
      FROM (SELECT rc.seq, rc.chunk, (row_number() OVER (PARTITION BY rc.seq ORDER BY rc.chunk) - 1)::int AS ord
            FROM vsg.root_chunks rc WHERE rc.salt IS NOT NULL) p
      JOIN (SELECT c.seq, f.ord, f.first_key
            FROM vsg.commits c JOIN vsg.tracked t ON t.id = c.table_id
            CROSS JOIN LATERAL vsg.root_firsts(vsg.root_rel(c.seq), t.key_columns) f
            WHERE c.hash_scheme = 3 AND c.pruned IS NULL) x ON x.seq = p.seq AND x.ord = p.ord) f
WHERE rc.seq = f.seq AND rc.chunk = f.chunk;
