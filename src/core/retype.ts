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
import type { Signature } from './signature.js';
import { lockTable } from './sql/ddl.js';
import { dropRetyped, mendRetyped, recordRetyped, stageRetyped } from './sql/retype.js';
import type { TrackedTable } from './tables.js';

/** The columns (by their name now) whose type differs between the two shapes, the same column by its number. */
export function retypedColumns(before: Signature, after: Signature): string[] {
  return after.columns.filter((c) => before.columns.some((b) => b.num === c.num && b.type !== c.type)).map((c) => c.name);
}

/**
 * Put the rows a type change between `before` (the columns last recorded) and
 * `after` (the columns now) rewrote into this transaction's pending rows of
 * `table`, as of `head` (its branch's HEAD, locked), for the commit being made
 * to take. Answers whether it did: nothing when no type changed, or when a key
 * column's did (keys are matched by their text, which such a change may
 * print anew: those rows keep their images of before).
 */
export async function recordRetypedRows(tx: Queryable, table: TrackedTable, head: string, before: Signature, after: Signature): Promise<boolean> {
  const retyped = retypedColumns(before, after);
  if (retyped.length === 0) return false;
  const keyNums = after.key ?? [];
  if (after.columns.some((c) => keyNums.includes(c.num) && retyped.includes(c.name))) return false;
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
  await tx.query(stageRetyped(table.qname, table.keyColumns, retyped), [table.id, head]);
  // The statements below join the whole table's rows with vsg.pending: hash
  // joins, whatever vsg.pending's statistics say (where autovacuum is off they
  // can say it is empty while it holds many dead rows, and a nested loop that
  // scanned it once per row took 126 s for 100k rows, against 5 s).
  const { rows: was } = await tx.query<{ was: string }>(sql('commit/nestloop_off'));
  for (const statement of mendRetyped(retyped)) await tx.query(statement, [table.id]);
  await tx.query(recordRetyped(retyped), [table.id]);
  await tx.query(sql('commit/nestloop_as'), [was[0].was]);
  await tx.query(dropRetyped());
  return true;
}
