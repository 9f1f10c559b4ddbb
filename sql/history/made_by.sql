-- `<ref>@{<date>}`: the newest commit made at or before $2 on the
-- first-parent chain of commit $1 (vsg.first_parent_before), or nothing
-- (history there begins later); whether it was pruned.
SELECT a.id, a.pruned IS NOT NULL AS pruned FROM vsg.commits s
JOIN vsg.commits a ON a.seq = vsg.first_parent_before(s.seq, $2::timestamptz)
WHERE s.id = $1
