SELECT vsg.root_index(to_regclass(format('vsg.%I', $1::text)), $2::text[])
