SELECT set_config('check_function_bodies', $1, true)
