-- Keys named on the command line, canonical ($1 jsonb[]).
INSERT INTO pg_temp.vsg_forget (key) SELECT DISTINCT k FROM unnest($1::jsonb[]) AS k ON CONFLICT DO NOTHING
