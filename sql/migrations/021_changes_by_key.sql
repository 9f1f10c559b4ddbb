-- Version 21: the primary key of vsg.changes is (table_id, key, seq), and a
-- commit's rows are found through a plain index on seq.
--
-- The primary key was (seq, key), beside the index (table_id, key, seq) that
-- history by key reads. Both hold the key: a commit's rows all share one seq,
-- so each insert into (seq, key) searched the rightmost pages by comparing
-- jsonb keys, and every change row paid for two key indexes. (table_id, key,
-- seq) holds the columns of (seq, key), so it is unique wherever that was, and
-- can be the primary key itself. What is looked up by seq alone (a commit's
-- change set, a diff's path, a prune) goes through changes_seq, whose entries
-- are a bigint each; a lookup of one key in one commit names the table too.
-- Two indexes still, one of them narrow: a large commit's change rows go in a
-- little faster, and take less room (docs/performance.md, "Large commits").
ALTER TABLE vsg.changes DROP CONSTRAINT changes_pkey;
DROP INDEX vsg.changes_key;
ALTER TABLE vsg.changes ADD CONSTRAINT changes_pkey PRIMARY KEY (table_id, key, seq);
CREATE INDEX changes_seq ON vsg.changes (seq);
