-- After a prune (--vacuum-full): rewrite vsg.changes and vsg.commits into new
-- files, giving the space back to the file system (an exclusive lock while it runs).
VACUUM FULL vsg.changes, vsg.commits, vsg.base_rows
