SELECT to_regclass('vsg.migrations')::text AS present
