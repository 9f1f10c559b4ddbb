/**
 * Resolve: settle conflicts of the merge in progress, one cell, one row or
 * all of them, by taking ours, theirs or a given value. The resolutions are
 * kept with the conflicts until `vsg merge --continue` applies them.
 *
 * Without a table while several are tracked, the conflicts of every merge in
 * progress are looked at (a merge across tables keeps one per table): `all`
 * settles all of them, a key the one table whose merge has it conflicted.
 */
import type { Db, Queryable } from '../db/db.js';
import { ExitCode, isVsgError, VsgError } from '../errors.js';
import { parseKey } from '../core/keys.js';
import { conflictList, conflictsAcrossIn, inProgress, mergeGroups, type ConflictList } from '../core/merge-state.js';
import { lockTable, resolveTable, type TrackedTable } from '../core/tables.js';
import { sql } from '../db/sql.js';

export interface ResolveOptions {
  table?: string;
  /** the row's key ('7', 'id=7', 'a=1,b=x' or JSON); undefined with `all` */
  key?: string;
  column?: string;
  all?: boolean;
  take: 'ours' | 'theirs' | 'value';
  /** with take 'value': the value's text form, null for SQL NULL */
  value?: string | null;
}

/** Resolve conflicts of the in-progress merge: one key (optionally one column), or all. */
export async function resolveConflicts(db: Db, opts: ResolveOptions): Promise<ConflictList & { changed: number }> {
  if (!opts.all && opts.key === undefined) {
    throw new VsgError('E_USAGE', 'name the row to resolve by its key, or resolve every conflict', {
      exitCode: ExitCode.usage,
      hint: `give key, or all: true (conflicts() lists them)`,
      data: { take: opts.take },
    });
  }
  const one = await resolveTable(db, opts.table).catch((e: unknown) => {
    if (opts.table === undefined && isVsgError(e) && e.code === 'E_TABLE_REQUIRED') return null;
    throw e;
  });
  const targets = one ? [one] : await conflictedTables(db, opts);
  let changed = 0;
  await db.transaction(async (tx) => {
    for (const target of targets) changed += await resolveIn(tx, target, opts, one === null);
    if (changed === 0) throw noConflict(opts);
  });
  if (one) return { ...(await conflictList(db, await resolveTable(db, opts.table ?? one.display))), changed };
  const lists: ConflictList[] = [];
  for (const t of await mergingAll(db)) lists.push(await conflictList(db, t));
  return { ...(lists.length === 1 ? lists[0] : await conflictsAcrossIn(db, lists)), changed };
}

/** Every table with a merge in progress, in id order. */
async function mergingAll(db: Queryable): Promise<TrackedTable[]> {
  return (await mergeGroups(db)).flatMap((g) => g.tables).sort((a, b) => a.id - b.id);
}

/**
 * No table named, several tracked: with `all`, every table with a merge in
 * progress; else the one whose merge has the key (and column) conflicted.
 * E_TABLE_REQUIRED when several have it, E_NO_CONFLICT when none does, and
 * E_BAD_KEY when the key is a key of none of them.
 */
async function conflictedTables(db: Queryable, opts: ResolveOptions): Promise<TrackedTable[]> {
  const merging = await mergingAll(db);
  if (merging.length === 0) throw new VsgError('E_NO_MERGE', 'no merge is in progress', { hint: 'start one with merge()' });
  if (opts.all) return merging;
  const found: TrackedTable[] = [];
  let badKey: unknown = null;
  let parsed = 0;
  for (const t of merging) {
    let key: string;
    try {
      key = JSON.stringify(parseKey(opts.key as string, t.keyColumns));
      parsed++;
    } catch (e) {
      if (!isVsgError(e) || e.code !== 'E_BAD_KEY') throw e;
      badKey ??= e; // not a key of this table
      continue;
    }
    if ((await db.query(sql('merge/find_conflict'), [t.id, key, opts.column ?? null])).rowCount > 0) found.push(t);
  }
  if (found.length > 1) {
    const names = found.map((t) => t.display);
    throw new VsgError('E_TABLE_REQUIRED', `${names.join(', ')} each have a conflict at ${opts.key}; name one with the table option`, { data: { tables: names } });
  }
  if (parsed === 0 && badKey) throw badKey;
  if (found.length === 0) throw noConflict(opts);
  return found;
}

function noConflict(opts: ResolveOptions): VsgError {
  return new VsgError('E_NO_CONFLICT', `no conflict at ${opts.key ?? 'any key'}${opts.column ? ` column '${opts.column}'` : ''}`, { hint: 'conflicts() lists them' });
}

/** Resolve the conflicts `opts` names in the table's merge: how many (E_NO_CONFLICT when none, but for `all` across tables: a table may have none). */
async function resolveIn(tx: Queryable, target: TrackedTable, opts: ResolveOptions, across: boolean): Promise<number> {
  const table = await lockTable(tx, target);
  await inProgress(tx, table);
  const key = opts.key === undefined ? null : JSON.stringify(parseKey(opts.key, table.keyColumns));
  const value = opts.take === 'value' ? JSON.stringify(opts.value ?? null) : null;
  let column = opts.column;
  if (opts.take === 'value' && column === undefined) {
    // A value fits one cell: without a column, the key must have exactly one conflicting cell.
    const { rows } = await tx.query<{ col: string | null }>(sql('merge/conflict_columns'), [table.id, key]);
    if (rows.length !== 1 || rows[0].col === null) {
      throw new VsgError('E_USAGE', `name the column the value is for`, {
        exitCode: ExitCode.usage,
        hint: 'give the column with the value', data: { key: opts.key ?? null },
      });
    }
    column = rows[0].col;
  }
  // A cell takes the value; a row-level conflict given a column keeps the surviving image with that cell set.
  const { rowCount } = await tx.query(sql('merge/resolve'), [table.id, key, column ?? null, opts.take, value]);
  if (rowCount === 0 && !(opts.all && across)) throw noConflict(opts);
  return rowCount;
}
