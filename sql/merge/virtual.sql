-- One side's changes relative to a virtual merge base V = R overlaid with
-- pg_temp.vsg_m_vbase (a criss-cross history: V is the merge of the two best
-- bases, conflicting cells marked), from both sides' changes relative to R.
-- Keys neither side changed since R hold the same row on both sides: skipped.
-- SIDE is replaced by 'ours' or 'theirs' before use.
WITH k AS (
  SELECT key, old AS r FROM pg_temp.vsg_m_ours_r
  UNION
  SELECT key, old FROM pg_temp.vsg_m_theirs_r
), x AS (
  SELECT k.key,
         CASE WHEN v.key IS NULL THEN k.r ELSE v.img END AS old,
         CASE WHEN s.key IS NULL THEN k.r ELSE s.new END AS new
  FROM k
  LEFT JOIN pg_temp.vsg_m_vbase v ON v.key = k.key
  LEFT JOIN pg_temp.vsg_m_SIDE_r s ON s.key = k.key
)
SELECT key, old, new FROM x WHERE old IS DISTINCT FROM new
