-- The keys their side changed since the merge base, with three images each
-- (pg_temp.vsg_m_ours / vsg_m_theirs hold diff(base, ours) and diff(base,
-- theirs)). Keys only our side changed need nothing: the live table has them.
--   kind 'theirs': only they changed the row, take their image
--   kind 'cells':  both changed it (or both inserted it): merge column by column
--   kind 'row':    one side deleted it, the other changed it
SELECT t.key, t.old AS base,
       CASE WHEN o.key IS NULL THEN t.old ELSE o.new END AS ours,
       t.new AS theirs,
       CASE WHEN o.key IS NULL THEN 'theirs'
            WHEN o.new IS NULL OR t.new IS NULL THEN 'row'
            ELSE 'cells' END AS kind
FROM pg_temp.vsg_m_theirs t
LEFT JOIN pg_temp.vsg_m_ours o ON o.key = t.key
WHERE o.key IS NULL OR o.new IS DISTINCT FROM t.new
