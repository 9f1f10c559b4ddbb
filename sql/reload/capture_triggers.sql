SELECT vsg.capture_triggers($1)
