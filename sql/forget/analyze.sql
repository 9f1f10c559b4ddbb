-- Statistics for pg_temp.vsg_forget once filled: without them the planner
-- guesses a large table and reads every change row instead of each key's
-- through its key (vsg.key_changes).
ANALYZE pg_temp.vsg_forget
