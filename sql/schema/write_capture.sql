SELECT vsg.write_capture($1)
