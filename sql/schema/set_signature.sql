UPDATE vsg.tracked SET signature = $2::jsonb WHERE id = $1
