-- The point in time that the commits $1 stand for when a table they did not
-- change is read at them (src/core/refs.ts › stateAt): the newest seq among
-- them and the other parts of the commits across tables they are parts of,
-- so that a part's id means its whole commit.
SELECT max(c.seq)::text AS seq
FROM vsg.commits c
WHERE c.id = ANY($1::text[])
   OR c.id IN (SELECT p.part FROM vsg.commit_parts q JOIN vsg.commit_parts p ON p.id = q.id WHERE q.part = ANY($1::text[]))
