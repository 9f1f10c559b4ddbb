-- Statistics for pg_temp.vsg_forget once filled: without them the planner
-- guesses a large table and reads every change row instead of each key's
-- through changes_key.
ANALYZE pg_temp.vsg_forget
