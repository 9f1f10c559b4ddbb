SELECT set_config('check_function_bodies', 'off', true)
