-- The row-image and key-match expressions of table $1 (key columns $2) for
-- sql/timetravel/rollback_rows.sql: the live row r, the key of a change c.key.
SELECT vsg.image_expr($1::oid, 'r') AS img, vsg.key_match($1::oid, $2::text[], 'r', 'c') AS match
