-- After a prune, outside its transaction: the deleted change rows and the old
-- versions of the blanked commit headers become free space.
VACUUM vsg.changes, vsg.commits, vsg.base_rows
