INSERT INTO vsg.tracked (relid, schema_name, table_name, key_columns, signature)
VALUES ($1::oid, $2, $3, $4::text[], vsg.table_signature($1::oid))
ON CONFLICT (relid) WHERE untracked_at IS NULL DO NOTHING RETURNING id::text
