/**
 * A merge stopped on conflicts is kept in vsg.merges (its sides, bases,
 * message and author) and vsg.merge_conflicts (one row per conflicting cell
 * or row, and its resolution), so that `vsg conflicts`, `vsg resolve`,
 * `vsg merge --continue` and `--abort` can pick it up in a later command.
 * The live table is not touched until --continue.
 */
import type { Queryable } from '../db/db.js';
import { VsgError } from '../errors.js';
import { compareKeys } from './rows.js';
import type { TrackedTable } from './tables.js';
import type { Image } from './types.js';
import { sql } from '../db/sql.js';

/** Which changes met: both sides set a cell, inserted a key, or one updated what the other deleted. */
export type ConflictKind = 'update/update' | 'insert/insert' | 'update/delete' | 'delete/update';

/** One conflict: a cell (column set) or a whole row (column null: update against delete). */
export interface MergeConflict {
  /** the table, in the conflicts of a merge across tables (MergeResult.conflicts) */
  table?: string;
  key: Image;
  /** the column, or null for a row-level conflict */
  column: string | null;
  kind: ConflictKind;
  /** cell: the value's text form (null = SQL NULL); row: the image (null = no row) */
  base: string | null | Image;
  ours: string | null | Image;
  theirs: string | null | Image;
  resolved: boolean;
  /** the resolution, once resolved */
  value: string | null | Image;
}

/** A merge in progress and its conflicts (`vsg conflicts`). */
export interface ConflictList {
  table: string;
  branch: string;
  ours: string;
  theirs: string;
  theirsRef: string;
  base: string;
  /** two for a criss-cross history (merged into a virtual base) */
  bases: string[];
  keyColumns: string[];
  conflicts: MergeConflict[];
  unresolved: number;
}

/** A merge stopped on conflicts, as vsg.merges keeps it (base: the merge bases, space-separated). */
export interface SavedMerge {
  branch: string;
  ours: string;
  theirs: string;
  theirs_ref: string;
  base: string;
  message: string | null;
  author: string;
}

/** The table's merge in progress; E_NO_MERGE when there is none. */
export async function inProgress(tx: Queryable, table: TrackedTable): Promise<SavedMerge> {
  const { rows } = await tx.query<SavedMerge>(sql('merge/state'), [table.id]);
  if (!rows[0]) {
    throw new VsgError('E_NO_MERGE', `no merge into '${table.display}' is in progress`, { hint: 'start one with merge()' });
  }
  return rows[0];
}

type ConflictRow = Record<'key' | 'col' | 'kind' | 'base' | 'ours' | 'theirs' | 'resolved' | 'value', string | null>;

/** Which conflicts to read: the merge's work table, or the table's saved ones (all, or those still open). */
export type ConflictSet = 'work' | 'saved' | 'open';

/** Conflicts from the work table or the saved state (sql/merge/<set>_conflicts.sql), in key order. */
export async function readConflicts(tx: Queryable, set: ConflictSet, table: TrackedTable): Promise<MergeConflict[]> {
  const { rows } = await tx.query<ConflictRow>(sql(`merge/${set}_conflicts`), set === 'work' ? [] : [table.id]);
  const parse = (v: string | null) => (v === null ? null : (JSON.parse(v) as string | null | Image));
  return rows
    .map((r) => ({
      key: JSON.parse(String(r.key)) as Image,
      column: r.col,
      kind: r.kind as ConflictKind,
      base: parse(r.base),
      ours: parse(r.ours),
      theirs: parse(r.theirs),
      resolved: r.resolved === 'true' || r.resolved === 't',
      value: parse(r.value),
    }))
    .sort((a, b) => compareKeys(a.key, b.key, table.keyColumns) || (a.column ?? '').localeCompare(b.column ?? ''));
}

/** The table's merge in progress and its conflicts, resolved or not. */
export async function conflictList(db: Queryable, table: TrackedTable): Promise<ConflictList> {
  const m = await inProgress(db, table);
  const conflicts = await readConflicts(db, 'saved', table);
  return {
    table: table.display,
    branch: m.branch,
    ours: m.ours,
    theirs: m.theirs,
    theirsRef: m.theirs_ref,
    base: m.base.split(' ')[0],
    bases: m.base.split(' '),
    keyColumns: table.keyColumns,
    conflicts,
    unresolved: conflicts.filter((c) => !c.resolved).length,
  };
}

/** Keep a merge stopped on conflicts (those of pg_temp.vsg_m_conf) until --continue or --abort. */
export async function saveMerge(
  tx: Queryable,
  table: TrackedTable,
  m: { ours: string; theirs: string; theirsRef: string; bases: string[]; message?: string; author: string },
): Promise<void> {
  await tx.query(sql('merge/save_state'), [table.id, table.head, m.ours, m.theirs, m.theirsRef, m.bases.join(' '), m.message ?? null, m.author]);
  await tx.query(sql('merge/save_conflicts'), [table.id]);
}

/** The saved conflicts, with their resolutions, back into pg_temp.vsg_m_conf (merge --continue). */
export async function loadConflicts(tx: Queryable, table: TrackedTable): Promise<void> {
  await tx.query(sql('merge/drop_conflicts_temp'));
  await tx.query(sql('merge/load_conflicts'), [table.id]);
}

/** Forget the table's merge in progress (finished or aborted); its conflicts go with it. */
export async function forgetMerge(tx: Queryable, table: TrackedTable): Promise<void> {
  await tx.query(sql('merge/clear_state'), [table.id]);
}
