-- The OID the name $1 resolves to as SQL would resolve it, or NULL (vsg.resolve_table).
SELECT vsg.resolve_table($1)::text AS oid
