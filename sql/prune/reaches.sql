-- Whether commit $2 (seq) is an ancestor-or-self of commit $1 (seq), over every parent.
SELECT EXISTS (SELECT 1 FROM vsg.reachable($1::bigint, ARRAY[$2::bigint])) AS yes
