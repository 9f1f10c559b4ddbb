/**
 * What both write-back paths share (the keyed path in apply.ts, the bulk path
 * in apply-bulk.ts, and the reload in reload.ts): how the changed rows are
 * recorded, the counts they return, and the SQL that writes an image into a
 * row. Its own module so that neither path imports the other's types back.
 */
import { imageExpr, keyExpr } from '../db/images.js';
import { ident, literal } from '../db/quote.js';
import type { Column, TrackedTable } from './tables.js';

/**
 * What becomes of the changed rows, which the capture triggers record in
 * vsg.pending on the keyed path:
 * - 'pending' (default): they stay there, uncommitted (restore).
 * - 'commit': the caller commits them in this transaction (createCommit takes
 *   them), then calls dropStaged; a bulk write stages them in a temp table
 *   instead of vsg.pending.
 * - 'discard': the caller throws them away (the table now holds a commit's
 *   state and nothing is uncommitted); a bulk write does not record them.
 */
export type RecordMode = 'pending' | 'commit' | 'discard';

/** Rows a write-back deleted, updated and inserted. */
export interface ApplyResult {
  inserted: number;
  updated: number;
  deleted: number;
}

/** The SQL that writes images (s.img, keyed by s.key) into the table (alias r); built by writeSql below. */
export interface WriteSql {
  /** true when r's key is s.key */
  join: string;
  /** the same for another alias of the table */
  keyMatch: (row: string) => string;
  /** the SET list of an UPDATE from s; empty when no column can be updated */
  set: string;
  /** INSERT's column list and the matching SELECT list over s */
  insertColumns: string;
  insertValues: string;
  /** the image of a row of the table under this alias (src/db/images.ts) */
  image: (row: string) => string;
  /** its key */
  key: (row: string) => string;
}

/**
 * The SQL that writes images (s.img, keyed by s.key) into the table (alias r),
 * shared by the keyed and the bulk path: values go back through each column's
 * input function from their text form; generated columns are never written.
 */
export function writeSql(table: TrackedTable, cols: Column[]): WriteSql {
  const typeOf = new Map(cols.map((c) => [c.name, c.type]));
  const value = (c: string) => `(s.img->>${literal(c)})::${typeOf.get(c)}`;
  // A column the image lacks (added since) gets its default, as a row of that version would;
  // an identity column (no default) its next value on insert, and keeps its value on update.
  const fallback = (c: Column) => c.defaultExpr ?? (c.identity ? `nextval(pg_get_serial_sequence(${literal(table.qname)}, ${literal(c.name)}))` : 'NULL');
  const valueOrDefault = (c: Column) => `CASE WHEN s.img ? ${literal(c.name)} THEN ${value(c.name)} ELSE ${fallback(c)} END`;
  const valueOrKept = (c: Column) => `CASE WHEN s.img ? ${literal(c.name)} THEN ${value(c.name)} ELSE r.${ident(c.name)} END`;
  const writable = cols.filter((c) => !c.generated);
  const updatable = writable.filter((c) => !table.keyColumns.includes(c.name) && c.identity !== 'a');
  const keyMatch = (row: string) => table.keyColumns.map((k) => `${row}.${ident(k)} = (s.key->>${literal(k)})::${typeOf.get(k)}`).join(' AND ');
  return {
    join: keyMatch('r'),
    keyMatch,
    set: updatable.map((c) => `${ident(c.name)} = ${c.identity ? valueOrKept(c) : valueOrDefault(c)}`).join(', '),
    insertColumns: writable.map((c) => ident(c.name)).join(', '),
    insertValues: writable.map(valueOrDefault).join(', '),
    image: (row) => imageExpr(cols.map((c) => c.name), row),
    key: (row) => keyExpr(table.keyColumns, row),
  };
}
