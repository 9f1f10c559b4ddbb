UPDATE pg_temp.vsg_apply SET img = (img - $1::text) || jsonb_build_object($2::text, img->$1::text)
WHERE img ? $1::text AND NOT img ? $2::text
