/** Conflicts: the merge in progress into a table and its conflicts (`vsg conflicts`). */
import type { Queryable } from '../db/db.js';
import { isVsgError, VsgError } from '../errors.js';
import { conflictList, conflictsAcrossIn, mergeGroups, type ConflictList } from '../core/merge-state.js';
import { resolveTable } from '../core/tables.js';

/**
 * The in-progress merge of a table and its conflicts. Without a table while
 * several are tracked: every table's merge in progress (a merge across
 * tables, or several), each table's list in `tables`.
 */
export async function listConflicts(db: Queryable, opts: { table?: string } = {}): Promise<ConflictList> {
  const table = await resolveTable(db, opts.table).catch((e: unknown) => {
    if (opts.table === undefined && isVsgError(e) && e.code === 'E_TABLE_REQUIRED') return null;
    throw e;
  });
  if (table) return conflictList(db, table);
  const tables = (await mergeGroups(db)).flatMap((g) => g.tables).sort((a, b) => a.id - b.id);
  if (tables.length === 0) throw new VsgError('E_NO_MERGE', 'no merge is in progress', { hint: 'start one with merge()' });
  const lists: ConflictList[] = [];
  for (const t of tables) lists.push(await conflictList(db, t));
  return conflictsAcrossIn(db, lists);
}
