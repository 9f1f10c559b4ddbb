SELECT version::text FROM vsg.migrations
