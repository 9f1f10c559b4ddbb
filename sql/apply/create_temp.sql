CREATE TEMP TABLE vsg_apply (key jsonb, img jsonb) ON COMMIT DROP
