-- The tracked tables this transaction changed, for a commit naming no table
-- whose SQL or work ran on its own: ids joined by commas (vsg.changed_tables,
-- which probes the tables its captures listed where
-- sql/tables/lock_shared.sql started the list, every tracked table otherwise),
-- and those whose columns it changed (vsg.reshaped_tables: a DDL statement
-- changes no row, and is a SCHEMA commit all the same).
SELECT vsg.changed_tables(true) AS changed,
       (SELECT string_agg(r::text, ',') FROM vsg.reshaped_tables(true) r) AS reshaped
