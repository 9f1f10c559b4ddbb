-- Cancel the statement a busy connection of vsg's is running (Ctrl-C), from a second connection, as psql does.
SELECT pg_cancel_backend($1)
