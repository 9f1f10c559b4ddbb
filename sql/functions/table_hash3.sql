-- A table's hash in a ROOT commit of hash scheme 3 (docs/integrity.md): SHA-256
-- over its checkpoint's shape (vsg.root_header) and its chunks' hashes in
-- chunk order. A plain expression, so that PostgreSQL inlines it.
CREATE OR REPLACE FUNCTION vsg.table_hash3(header bytea, chunk_hashes bytea) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
  SELECT sha256('vsg-table-3'::bytea || int4send(octet_length(header)) || header || coalesce(chunk_hashes, ''::bytea))
$$;
