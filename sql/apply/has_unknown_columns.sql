SELECT EXISTS (SELECT 1 FROM pg_temp.vsg_apply s WHERE s.img IS NOT NULL AND (s.img - $1::text[]) <> '{}'::jsonb)::text AS any
