-- The row-image and key-match expressions of table $1 (key columns $2) that
-- src/core/pending.ts splices into its statements: the live row r, the key n.key.
SELECT vsg.image_expr($1::oid, 'r') AS img, vsg.key_match($1::oid, $2::text[], 'r', 'n') AS match
