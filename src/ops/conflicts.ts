/** Conflicts: the merge in progress into a table and its conflicts (`vsg conflicts`). */
import type { Queryable } from '../db/db.js';
import { conflictList, type ConflictList } from '../core/merge-state.js';
import { resolveTable } from '../core/tables.js';

/** The in-progress merge of a table and its conflicts. */
export async function listConflicts(db: Queryable, opts: { table?: string } = {}): Promise<ConflictList> {
  const table = await resolveTable(db, opts.table);
  return conflictList(db, table);
}
