-- Tags of table $1 named $2 go with the commits they point at.
DELETE FROM vsg.refs WHERE table_id = $1::int AND kind = 'tag' AND name = ANY ($2::text[])
