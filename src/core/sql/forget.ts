/**
 * `vsg forget`'s statements over a tracked table's own rows (its name and
 * columns): the keys a `--where` predicate selects, among the live rows and
 * every row image in history, and the `--live` write. Pure functions; names go
 * in only through src/db/quote.ts and src/db/images.ts. The predicate is the
 * user's own SQL, the one text spliced as given (like `vsg commit "SQL"`); the
 * statement carries a bound parameter so that it runs alone, never as several.
 */
import { imageExpr, keyExpr, keyMatch } from '../../db/images.js';
import { ident, literal } from '../../db/quote.js';

interface Target {
  qname: string;
  keyColumns: string[];
}

/**
 * Add to pg_temp.vsg_forget the keys of the rows `predicate` is true of: the
 * live rows, and every before and after image in table $1's history, populated
 * as the table's row type (cells already forgotten read as NULL: their marker
 * is no value of the column's type).
 */
export function forgetWhere(table: Target, predicate: string): string {
  return `INSERT INTO pg_temp.vsg_forget (key)
SELECT ${keyExpr(table.keyColumns, 't')} FROM ${table.qname} AS t WHERE (${predicate})
UNION
SELECT h.key FROM (
  SELECT ch.key, i.img - coalesce(ch.forgotten, '{}'::text[]) AS img FROM vsg.changes ch CROSS JOIN LATERAL (VALUES (ch.before), (ch.after)) AS i(img)
  WHERE ch.seq IN (SELECT c.seq FROM vsg.commits c WHERE c.table_id = $1::int) AND ch.table_id = $1::int AND i.img IS NOT NULL
  UNION ALL
  SELECT br.key, br.image - coalesce(br.forgotten, '{}'::text[]) FROM vsg.base_rows br JOIN vsg.bases b ON b.id = br.base_id
  WHERE b.table_id = $1::int
  UNION ALL
  -- rows still packed (hash scheme 3: a root kept as a checkpoint, a large statement kept as vsg.packed_<seq>;
  -- a pruned one has no chunks, nor copy, left)
  SELECT r.key, i.img FROM vsg.commits c CROSS JOIN LATERAL vsg.root_rows(c.seq) r CROSS JOIN LATERAL (VALUES (r.before), (r.after)) AS i(img)
  WHERE c.table_id = $1::int AND c.hash_scheme = 3 AND EXISTS (SELECT 1 FROM vsg.root_chunks rc WHERE rc.seq = c.seq) AND i.img IS NOT NULL
) AS h
WHERE EXISTS (SELECT 1 FROM jsonb_populate_record(NULL::${table.qname}, h.img) AS t WHERE (${predicate}))
ON CONFLICT DO NOTHING`;
}

/**
 * The live rows of the keys in pg_temp.vsg_forget: deleted (no `columns`), or
 * those columns set to NULL. Each key column compared in its own type, so that
 * the primary key's index finds the rows; the keys are a subquery of IN, the
 * form Citus also accepts on a reference table (src/core/citus.ts).
 */
export function forgetLive(table: Target, cols: readonly { name: string; type: string }[], columns: readonly string[] | null): string {
  const typeOf = new Map(cols.map((c) => [c.name, c.type]));
  const keys = table.keyColumns.filter((k) => typeOf.has(k));
  const match = `(${keys.map((k) => `t.${ident(k)}`).join(', ')}) IN (SELECT ${keys.map((k) => `(k.key->>${literal(k)})::${typeOf.get(k)}`).join(', ')} FROM pg_temp.vsg_forget k)`;
  if (columns === null) return `DELETE FROM ${table.qname} AS t WHERE ${match}`;
  return `UPDATE ${table.qname} AS t SET ${columns.map((c) => `${ident(c)} = NULL`).join(', ')} WHERE ${match}`;
}

/**
 * A write-back told to write the live value where a value was forgotten
 * (src/core/forgets.ts): each forgotten cell of the images staged in
 * pg_temp.vsg_apply (or `staged`: a merge's check stages its images
 * elsewhere, src/core/merge-constraints.ts) takes the live row's value; with
 * no live row, the key keeps having none (its image becomes NULL).
 */
export function forgottenFromLive(table: Target, cols: readonly { name: string; type: string }[], staged = 'pg_temp.vsg_apply'): string {
  const live = `SELECT ${imageExpr(cols.map((c) => c.name), 't')} FROM ${table.qname} AS t WHERE ${keyMatch(table.keyColumns, cols, 't', 'a')}`;
  return `UPDATE ${staged} AS a
SET img = (SELECT CASE WHEN l.img IS NULL THEN NULL
                       ELSE (SELECT jsonb_object_agg(e.key, CASE WHEN jsonb_typeof(e.value) = 'object' THEN coalesce(l.img->e.key, 'null'::jsonb) ELSE e.value END)
                             FROM jsonb_each(a.img) AS e) END
           FROM (SELECT (${live}) AS img) AS l)
WHERE a.img IS NOT NULL AND jsonb_path_exists(a.img, '$.* ? (@.type() == "object")')`;
}

/**
 * After a forget committed, dead tuples still hold the old values until
 * vacuumed: vsg.changes (the rows blanked), vsg.pending (the captures that
 * commits took, --live's among them), vsg.base_rows (a prune's bases, docs/prune.md),
 * each copy of packed rows it unpacked rows of (hash scheme 3: a root's checkpoint,
 * a large statement's vsg.packed_<seq>), and with --live
 * the table itself (the deleted or updated rows): `tables`, each as
 * PostgreSQL quotes it (a regclass's text). VACUUM cannot run in a transaction block. A plain
 * VACUUM takes dead tuples out of every reader's reach, but their bytes may
 * linger in the pages' free space until overwritten; FULL rewrites the tables
 * into new files (an exclusive lock, and a cost that follows their size).
 */
export function forgetVacuum(tables: readonly string[], full = false): string {
  return `VACUUM ${full ? 'FULL ' : ''}${tables.join(', ')}`;
}
