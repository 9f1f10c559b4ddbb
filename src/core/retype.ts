/**
 * The values PostgreSQL rewrote when a column's type changed. `ALTER COLUMN …
 * TYPE` (with or without USING) rewrites the table without firing a trigger,
 * so the capture never sees the rows it changed; history would keep each
 * row's image of before, and diff, time travel and write-back would not see
 * the change. The commit that records the type change records them too: each
 * row whose retyped cells read otherwise than before becomes an update of
 * those cells (src/core/sql/retype.ts).
 */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { VsgError } from '../errors.js';
import type { Signature } from './signature.js';
import { lockTable } from './sql/ddl.js';
import { dropRetyped, mendRetyped, recordRetyped, reprintedKey, stageRetyped } from './sql/retype.js';
import type { TrackedTable } from './tables.js';

const INTEGERS = /^(smallint|integer|bigint)$/;
const TEXTS = /^(text|character varying(\(\d+\))?)$/;
const NUMERIC = /^numeric(?:\((\d+),(\d+)\))?$/;

/**
 * Whether every value of type `from` that PostgreSQL converts to type `to`
 * (as format_type prints them) reads the same after: an integer type to
 * another, text and varchar of any length to each other, numeric to numeric
 * of the same scale or of none. Such a change rewrites no value's text, so
 * it needs no reading of the table. Any other pair is compared value by value.
 */
export function keepsText(from: string, to: string): boolean {
  if (INTEGERS.test(from) && INTEGERS.test(to)) return true;
  if (TEXTS.test(from) && TEXTS.test(to)) return true;
  const [a, b] = [NUMERIC.exec(from), NUMERIC.exec(to)];
  return a !== null && b !== null && (b[2] === undefined || (a[2] !== undefined && a[2] === b[2]));
}

/**
 * The columns (by their name now) whose type differs between the two shapes,
 * the same column by its number, where the change may have rewritten a value's text.
 */
export function retypedColumns(before: Signature, after: Signature): string[] {
  return after.columns
    .filter((c) => before.columns.some((b) => b.num === c.num && b.type !== c.type && !keepsText(b.type, c.type)))
    .map((c) => c.name);
}

/**
 * Put the rows a type change between `before` (the columns last recorded) and
 * `after` (the columns now) rewrote into this transaction's pending rows of
 * `table`, as of `head` (its branch's HEAD, locked), for the commit being made
 * to take. Answers whether it did: nothing when no type changed. A key
 * column's type change is refused (E_KEY_CHANGED) where it changed how a key
 * reads (`7` as `7.00`): rows are matched by their keys' text.
 */
export async function recordRetypedRows(tx: Queryable, table: TrackedTable, head: string, before: Signature, after: Signature): Promise<boolean> {
  const retyped = retypedColumns(before, after);
  if (retyped.length === 0) return false;
  // The statements below read the table and vsg.pending each with a snapshot
  // of its own: a writer whose changes to the rows committed between them
  // would be neither mended nor recorded. Writers in flight are waited for,
  // and others wait until the commit ends, as they did for the ALTER itself
  // (a type change by the commit's own SQL holds a stronger lock already).
  await tx.query(lockTable(table.qname, 'SHARE'));
  // A large statement of the table in the same commit: its rows were staged
  // apart from vsg.pending (and a copy's images read its columns as they were
  // then); they join the uncommitted changes the mending below reaches.
  const { rows } = await tx.query<{ staged: boolean | string }>(sql('commit/staged_keys'), [table.id]);
  if (rows[0].staged === true || rows[0].staged === 't') await tx.query(sql('commit/unstage'), [table.id]);
  // The statements below join the whole table's rows with vsg.pending: hash
  // joins, whatever vsg.pending's statistics say (where autovacuum is off they
  // can say it is empty while it holds many dead rows, and a nested loop that
  // scanned it once per row took 126 s for 100k rows, against 5 s).
  const { rows: was } = await tx.query<{ was: string }>(sql('commit/nestloop_off'));
  await tx.query(stageRetyped(table.qname, table.keyColumns, retyped), [table.id, head]);
  const keyNums = after.key ?? [];
  const keys = after.columns.filter((c) => keyNums.includes(c.num) && retyped.includes(c.name)).map((c) => c.name);
  if (keys.length) {
    // a key column's type changed in a way its types alone do not vouch for: its keys must read as they did, or history holds a row under two keys
    const { rows: reprinted } = await tx.query<{ key: string | null }>(reprintedKey(), [table.id]);
    if (reprinted[0].key !== null) {
      const named = keys.map((k) => `'${k}'`).join(', ');
      throw new VsgError('E_KEY_CHANGED', `the type of key column ${named} of '${table.display}' changed how its keys read (${reprinted[0].key}), which vsg cannot follow`, {
        hint: 'give the key a type that reads each key as before (int to bigint); to re-key a table, untrack it, change it, and track it again',
        data: { table: table.display, columns: keys, key: JSON.parse(reprinted[0].key) as unknown },
      });
    }
  }
  for (const statement of mendRetyped(retyped)) await tx.query(statement, [table.id]);
  await tx.query(recordRetyped(retyped), [table.id]);
  await tx.query(sql('commit/nestloop_as'), [was[0].was]);
  await tx.query(dropRetyped());
  return true;
}
