-- When the commit at seq s was made, as `vsg log` shows it: its own time, or,
-- for a part of a commit across tables, that commit's (the time of its first
-- part by table that was not pruned, as src/core/spans.ts › spanInfo gives
-- it). vsg.first_parent_before compares these with a reference's date.
CREATE OR REPLACE FUNCTION vsg.made_at(s bigint) RETURNS timestamptz LANGUAGE sql STABLE AS $$
  SELECT coalesce(
    (SELECT f.committed_at FROM vsg.commits c
     JOIN vsg.commit_parts p ON p.part = c.id
     JOIN vsg.commit_parts q ON q.id = p.id
     JOIN vsg.commits f ON f.id = q.part
     WHERE c.seq = s ORDER BY f.pruned IS NOT NULL, q.table_id LIMIT 1),
    (SELECT c.committed_at FROM vsg.commits c WHERE c.seq = s))
$$;
