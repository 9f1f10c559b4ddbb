-- A write-back told to write NULL where a value was forgotten (src/core/forgets.ts):
-- each forgotten cell of the staged images becomes JSON null (SQL NULL).
UPDATE pg_temp.vsg_apply
SET img = (SELECT jsonb_object_agg(e.key, CASE WHEN jsonb_typeof(e.value) = 'object' THEN 'null'::jsonb ELSE e.value END) FROM jsonb_each(img) e)
WHERE img IS NOT NULL AND jsonb_path_exists(img, '$.* ? (@.type() == "object")')
