-- What refuses a forget of the keys in pg_temp.vsg_forget from table $1:
-- commits of hash scheme 1 holding them (forgetting there would break their
-- change_hash: no salt, no row hash), and uncommitted changes to them. Also
-- how many keys have any history at all (change rows, a base's rows, or rows
-- still packed in the copy of a commit of hash scheme 3: the root kept as a
-- checkpoint, a large statement kept as vsg.packed_<seq>). Each key's change rows
-- through its key (vsg.key_change_rows); the packed rows of all the keys in one
-- query a packed commit (vsg.root_rows_of), not one a key (vsg.key_changes).
-- Packed rows are never of scheme 1.
WITH packed AS MATERIALIZED (
  SELECT r.asked
  FROM vsg.commits c
  CROSS JOIN LATERAL vsg.root_rows_of(c.seq, ARRAY(SELECT f.key FROM pg_temp.vsg_forget f)) r
  WHERE c.table_id = $1::int AND c.hash_scheme = 3 AND EXISTS (SELECT 1 FROM vsg.root_chunks rc WHERE rc.seq = c.seq)
)
SELECT (SELECT count(*) FROM pg_temp.vsg_forget)::text AS keys,
       (SELECT count(DISTINCT f.key) FROM pg_temp.vsg_forget f
        WHERE EXISTS (SELECT 1 FROM vsg.key_change_rows($1::int, f.key))
           OR EXISTS (SELECT 1 FROM vsg.bases b JOIN vsg.base_rows br ON br.base_id = b.id AND br.key = f.key WHERE b.table_id = $1::int)
           OR f.key IN (SELECT p.asked FROM packed p))::text AS known,
       (SELECT coalesce(json_agg(DISTINCT c.id), '[]') FROM pg_temp.vsg_forget f
        CROSS JOIN LATERAL vsg.key_change_rows($1::int, f.key) ch
        JOIN vsg.commits c ON c.seq = ch.seq
        WHERE c.hash_scheme = 1)::text AS scheme1,
       (SELECT count(*) FROM pg_temp.vsg_forget f JOIN vsg.pending p ON p.table_id = $1::int AND p.key = f.key)::text AS pending
