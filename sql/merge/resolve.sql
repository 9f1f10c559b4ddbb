UPDATE vsg.merge_conflicts SET resolved = true,
  value = CASE $4::text
    WHEN 'ours' THEN ours
    WHEN 'theirs' THEN theirs
    ELSE CASE WHEN col IS NOT NULL THEN $5::jsonb
              ELSE coalesce(ours, theirs) || jsonb_build_object($3::text, $5::jsonb) END END
WHERE table_id = $1 AND ($2::jsonb IS NULL OR key = $2::jsonb) AND ($3::text IS NULL OR col = $3::text OR col IS NULL)
