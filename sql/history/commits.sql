-- Commits by id, with everything log and show print.
SELECT c.id, c.seq::text, c.table_id::text, c.parent, c.merge_parent, c.depth::text, c.kind, c.operation,
       c.author, c.message,
       to_char(c.committed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS committed_at,
       c.statement, c.meta::text AS meta, c.inserted::text, c.updated::text, c.deleted::text, c.change_hash,
       (SELECT coalesce(json_agg(json_build_object('name', r.name, 'kind', r.kind) ORDER BY r.kind, r.name), '[]')
          FROM vsg.refs r WHERE r.commit_id = c.id)::text AS refs
FROM vsg.commits c
WHERE c.id = ANY($1::text[])
ORDER BY c.seq DESC
