-- What refuses a forget of the keys in pg_temp.vsg_forget from table $1:
-- commits of hash scheme 1 holding them (forgetting there would break their
-- change_hash: no salt, no row hash), and uncommitted changes to them. Also
-- how many keys have any history at all (change rows, or a base's rows).
SELECT (SELECT count(*) FROM pg_temp.vsg_forget)::text AS keys,
       (SELECT count(DISTINCT f.key) FROM pg_temp.vsg_forget f
        WHERE EXISTS (SELECT 1 FROM vsg.key_changes($1::int, f.key))
           OR EXISTS (SELECT 1 FROM vsg.bases b JOIN vsg.base_rows br ON br.base_id = b.id AND br.key = f.key WHERE b.table_id = $1::int))::text AS known,
       (SELECT coalesce(json_agg(DISTINCT c.id), '[]') FROM pg_temp.vsg_forget f
        CROSS JOIN LATERAL vsg.key_changes($1::int, f.key) ch
        JOIN vsg.commits c ON c.seq = ch.seq
        WHERE c.hash_scheme = 1)::text AS scheme1,
       (SELECT count(*) FROM pg_temp.vsg_forget f JOIN vsg.pending p ON p.table_id = $1::int AND p.key = f.key)::text AS pending
