/**
 * The statement that starts a write-back (apply.ts): it fills
 * pg_temp.vsg_apply from the images a command wants and, in the same round
 * trip, answers what the write-back asks next: how many keys, whether an image
 * names a column the table no longer has, how large the table is next to the
 * difference (bounded: counting stops past `share` times the keys), and the
 * table's columns and sequences (the row image is built from the columns, src/db/images.ts), the
 * keys whose image holds a forgotten cell (src/core/forgets.ts), and
 * whether a foreign key of the table references the table itself. The source's
 * parameters come first; the fill's own follow them.
 */
import { sql } from '../../db/sql.js';


/** Renumber the $n placeholders of one of vsg's query texts by `by` (it has no dollar quoting). */
export function shiftParams(text: string, by: number): string {
  if (by === 0) return text;
  return text.replace(/\$(\d+)\b/g, (_, n: string) => `$${Number(n) + by}`);
}

/** Each statement's parameters, the fill's own after the source's. */
export interface FillStatement {
  text: string;
  params: unknown[];
}

/**
 * The fill statement of `source` for table `relid`, counting the rows of
 * `qname` up to `share` times the keys when there are fewer than `maxRows`
 * (`qname` null: not counted, size is NULL).
 */
export function fillSql(source: { text: string; params: unknown[] }, relid: string, qname: string | null, share: number, maxRows: number): FillStatement {
  const n = source.params.length;
  const text = `WITH f AS (
  INSERT INTO pg_temp.vsg_apply (key, img) SELECT key, img FROM (${source.text}
  ) s RETURNING key, img
), cols AS MATERIALIZED (
  SELECT * FROM (${shiftParams(sql('tables/columns'), n)}
  ) c
), got AS MATERIALIZED (
  SELECT count(*) AS filled,
         coalesce(bool_or(f.img IS NOT NULL AND (f.img - ARRAY(SELECT name::text FROM cols)) <> '{}'::jsonb), false) AS vanished,
         -- keys whose image holds a forgotten cell (vsg forget's marker: an object, never a value)
         to_json((array_agg(f.key ORDER BY f.key::text COLLATE "C")
                  FILTER (WHERE f.img IS NOT NULL AND jsonb_path_exists(f.img, '$.* ? (@.type() == "object")')))[1:20])::text AS forgotten,
         count(*) FILTER (WHERE f.img IS NOT NULL AND jsonb_path_exists(f.img, '$.* ? (@.type() == "object")')) AS n_forgotten
  FROM f
)
SELECT g.filled::text AS filled, g.vanished, g.forgotten, g.n_forgotten::text AS n_forgotten,
       ${qname === null ? `NULL::text` : `CASE WHEN g.filled > 0 AND g.filled < $${n + 3}::bigint
            THEN (SELECT count(*) FROM (SELECT 1 FROM ${qname} LIMIT (SELECT filled * $${n + 2}::bigint + 1 FROM got)) t)::text END`} AS size,
       (SELECT coalesce(json_agg(c), '[]') FROM cols c)::text AS columns,
       (SELECT coalesce(json_agg(q), '[]') FROM (${shiftParams(sql('apply/sequences'), n)}
       ) q)::text AS sequences,
       EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
               WHERE k.contype = 'f' AND k.conrelid = $${n + 1}::oid AND k.confrelid = $${n + 1}::oid AND NOT k.condeferred) AS self_ref
FROM got g`;
  return { text, params: qname === null ? [...source.params, relid] : [...source.params, relid, share, maxRows] };
}
