CLOSE vsg_export
