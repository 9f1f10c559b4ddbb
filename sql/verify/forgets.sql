-- FORGET entries (vsg.forgets): each id must hash its fields and the previous
-- entry's id, and chain to the entry before it ('forget_id', 'forget_chain'),
-- and its seal be that of the chunks it unpacked, a root's or a large
-- INSERT's kept packed ('forget_seal');
-- per table, the change rows and cells marked forgotten must be exactly those
-- the entries account for ('forget_counts': a row blanked behind vsg's back,
-- or an entry deleted). $1 a table id, or NULL for every table.
WITH f AS (
  SELECT f.*, lag(f.id) OVER (ORDER BY f.seq) AS before_id FROM vsg.forgets f
), e AS (
  SELECT f.table_id, 'forget_id' AS code, f.id AS expected,
         vsg.forget_id(f.prev, f.table_id, f.author, f.message, f.at, f.columns, f.keys, f.rows, f.cells, f.live, f.seal) AS actual, f.seq
  FROM f
  UNION ALL
  SELECT f.table_id, 'forget_chain', f.before_id, f.prev, f.seq FROM f WHERE f.prev IS DISTINCT FROM f.before_id
  UNION ALL
  -- an entry's seal over the chunks it unpacked, of the root and of any commit kept packed
  -- (hash scheme 3, sql/forget/record.sql: by commit seq, then chunk), and every unpacked chunk
  -- sealed into an entry
  SELECT coalesce(f.table_id, c.table_id), 'forget_seal', encode(x.seal, 'hex'), encode(f.seal, 'hex'), coalesce(f.seq, 0)
  FROM (SELECT rc.forget_seq,
               sha256('vsg-seals-3'::bytea || string_agg(vsg.seal_part(pc.kind = 'ROOT', pc.id, rc.chunk, rc.seal), ''::bytea
                                                         ORDER BY rc.seq, rc.chunk)) AS seal,
               min(rc.seq) AS first_seq
        FROM vsg.root_chunks rc LEFT JOIN vsg.commits pc ON pc.seq = rc.seq
        WHERE rc.salt IS NULL GROUP BY rc.forget_seq) x
  FULL JOIN f ON f.seq = x.forget_seq
  LEFT JOIN vsg.commits c ON c.seq = x.first_seq
  WHERE (f.seal IS NOT NULL OR x.seal IS NOT NULL) AND f.seal IS DISTINCT FROM x.seal
    -- an entry of a table pruned since (its root first): the chunks of the commits the prune took
    -- went with their rows (the PRUNE entry vouches for them, sql/verify/prunes.sql); an entry
    -- made after the table's last prune is checked whole
    AND NOT (EXISTS (SELECT 1 FROM vsg.commits rc WHERE rc.table_id = f.table_id AND rc.kind = 'ROOT' AND rc.pruned IS NOT NULL)
             AND EXISTS (SELECT 1 FROM vsg.prunes p WHERE p.at >= f.at))
    -- a history deleted whole (untrack with force) takes its chunks with it
    AND EXISTS (SELECT 1 FROM vsg.tracked tr WHERE tr.id = coalesce(f.table_id, c.table_id))
), t AS (
  SELECT coalesce(a.table_id, b.table_id) AS table_id,
         format('%s rows, %s cells', coalesce(a.rows, 0), coalesce(a.cells, 0)) AS expected,
         format('%s rows, %s cells', coalesce(b.rows, 0), coalesce(b.cells, 0)) AS actual
  FROM (SELECT table_id, sum(rows) AS rows, sum(cells) AS cells
        FROM (SELECT table_id, rows, cells FROM vsg.forgets
              UNION ALL
              -- forgotten change rows a prune deleted with their commits (docs/prune.md)
              SELECT x.key::int, -(x.value->>0)::bigint, -(x.value->>1)::bigint FROM vsg.prunes p CROSS JOIN LATERAL jsonb_each(p.forgotten) AS x) y
        GROUP BY table_id) a
  FULL JOIN (SELECT table_id, count(*) AS rows, sum(cells) AS cells
             FROM (SELECT table_id, cardinality(forgotten) AS cells FROM vsg.changes WHERE forgotten IS NOT NULL
                   UNION ALL
                   -- base rows forgotten in (a prune's base, docs/prune.md)
                   SELECT b.table_id, cardinality(r.forgotten) FROM vsg.base_rows r JOIN vsg.bases b ON b.id = r.base_id
                   WHERE r.forgotten IS NOT NULL) z
             GROUP BY table_id) b ON a.table_id = b.table_id
)
SELECT table_id::text, code, expected, actual FROM e
WHERE ($1::int IS NULL OR table_id = $1::int) AND expected IS DISTINCT FROM actual
UNION ALL
SELECT table_id::text, 'forget_counts', expected, actual FROM t
WHERE ($1::int IS NULL OR table_id = $1::int) AND expected <> actual
  -- a prune that deleted every forgotten row leaves nothing on either side
  AND NOT (expected = '0 rows, 0 cells' AND actual = '0 rows, 0 cells')
  -- a history deleted whole (untrack with force) takes its forgotten rows with it
  AND EXISTS (SELECT 1 FROM vsg.tracked tr WHERE tr.id = t.table_id)
