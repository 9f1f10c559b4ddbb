CREATE TEMP TABLE vsg_delta (table_id int, key jsonb, before jsonb, after jsonb) ON COMMIT DROP
