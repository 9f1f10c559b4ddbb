-- Statistics for pg_temp.vsg_forget once filled: without them the planner
-- guesses a large table and reads every change row instead of each key's
-- through the primary key (table_id, key, seq).
ANALYZE pg_temp.vsg_forget
