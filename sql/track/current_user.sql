SELECT current_user::text AS u
