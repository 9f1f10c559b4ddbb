-- The tracked tables this transaction changed, for a commit naming no table
-- whose SQL or work ran on its own: ids joined by commas (vsg.changed_tables,
-- which probes the tables its captures listed where
-- sql/tables/lock_shared.sql started the list, every tracked table otherwise).
SELECT vsg.changed_tables(true) AS changed
