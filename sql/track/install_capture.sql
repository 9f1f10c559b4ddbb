SELECT vsg.install_capture($1)
