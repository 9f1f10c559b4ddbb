SELECT current_setting('check_function_bodies') AS v
