/**
 * A merge stopped on conflicts is kept in vsg.merges (its sides, bases,
 * message and author) and vsg.merge_conflicts (one row per conflicting cell
 * or row, and its resolution), so that `vsg conflicts`, `vsg resolve`,
 * `vsg merge --continue` and `--abort` can pick it up in a later command.
 * The live table is not touched until --continue.
 *
 * A merge across tables stopped on conflicts keeps one such merge per table
 * it moves (conflicted or not), all saved in one transaction: their shared
 * started_at (the transaction's time) and ref make them one merge
 * (mergeGroups), continued or aborted only as a whole.
 */
import type { Queryable } from '../db/db.js';
import { isVsgError, VsgError } from '../errors.js';
import { compareKeys, flagForgotten } from './rows.js';
import { listTables, resolveTable, type TrackedTable } from './tables.js';
import type { Image } from './types.js';
import { sql } from '../db/sql.js';
import { idsInLog } from './spans.js';

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
  /**
   * values forgotten (vsg forget), null above: per field, a cell's marker, or
   * a row image's forgotten columns with their markers; absent when none
   */
  forgotten?: Partial<Record<'base' | 'ours' | 'theirs' | 'value', string | Record<string, string>>>;
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
  /**
   * Several tables' merges (a merge across tables, or every merge in
   * progress when no table is named): each table's list, keyed by table.
   * The fields above then list or sum theirs; `conflicts` each name its table.
   */
  tables?: Record<string, ConflictList>;
  /**
   * In a table's list of several tables' merges: `ours`, `theirs` and `bases`
   * by the ids `vsg log` lists (the commit across tables each is a part of,
   * or itself); `ours`, `theirs` and `bases` stay the table's own commits.
   */
  repoOurs?: string;
  repoTheirs?: string;
  repoBases?: string[];
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
    .map((r) => {
      const c: MergeConflict = {
        key: JSON.parse(String(r.key)) as Image,
        column: r.col,
        kind: r.kind as ConflictKind,
        base: parse(r.base),
        ours: parse(r.ours),
        theirs: parse(r.theirs),
        resolved: r.resolved === 'true' || r.resolved === 't',
        value: parse(r.value),
      };
      const k = r.col === null ? 'image' : 'value';
      return flagForgotten(c, { base: k, ours: k, theirs: k, value: k });
    })
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

/**
 * Keep a merge stopped on conflicts (those of pg_temp.vsg_m_conf) until
 * --continue or --abort; `conflicts` false: a table of a merge across tables
 * that has none.
 */
export async function saveMerge(
  tx: Queryable,
  table: TrackedTable,
  m: { ours: string; theirs: string; theirsRef: string; bases: string[]; message?: string; author: string },
  conflicts = true,
): Promise<void> {
  await tx.query(sql('merge/save_state'), [table.id, table.head, m.ours, m.theirs, m.theirsRef, m.bases.join(' '), m.message ?? null, m.author]);
  if (conflicts) await tx.query(sql('merge/save_conflicts'), [table.id]);
}

/** One merge in progress: one table's, or the tables' of a merge across tables (id order). */
export interface MergeGroup {
  theirsRef: string;
  tables: TrackedTable[];
}

/** Every merge in progress; the tables' merges saved together (same started_at and ref) are one. */
export async function mergeGroups(db: Queryable): Promise<MergeGroup[]> {
  const { rows } = await db.query<{ table_id: number; started_at: string; theirs_ref: string }>(sql('merge/all_states'));
  if (rows.length === 0) return [];
  const tables = new Map((await listTables(db)).map((t) => [t.id, t]));
  const groups = new Map<string, MergeGroup>();
  for (const r of rows) {
    const t = tables.get(Number(r.table_id));
    if (!t) continue;
    const id = JSON.stringify([r.started_at, r.theirs_ref]);
    if (!groups.has(id)) groups.set(id, { theirsRef: r.theirs_ref, tables: [] });
    groups.get(id)?.tables.push(t);
  }
  return [...groups.values()];
}

/**
 * The tables of the merge to continue or abort: the table named, unless its
 * merge is part of a merge across tables (E_MERGE_ACROSS: only the whole
 * goes on or back); without a name, the one table tracked, or else the one
 * merge in progress (E_TABLE_REQUIRED when there are several).
 */
export async function mergingTables(db: Queryable, name: string | undefined): Promise<TrackedTable[]> {
  const one = await resolveTable(db, name).catch((e: unknown) => {
    if (name === undefined && isVsgError(e) && e.code === 'E_TABLE_REQUIRED') return null;
    throw e;
  });
  const groups = await mergeGroups(db);
  if (one) {
    const group = groups.find((g) => g.tables.some((t) => t.id === one.id));
    if (group && group.tables.length > 1) {
      throw new VsgError('E_MERGE_ACROSS', `the merge of '${group.theirsRef}' into '${one.display}' is part of a merge across ${group.tables.map((t) => t.display).join(', ')}`, {
        hint: 'continue or abort the whole merge, without the table option',
        data: { tables: group.tables.map((t) => t.display) },
      });
    }
    return [one];
  }
  if (groups.length === 0) throw new VsgError('E_NO_MERGE', 'no merge is in progress', { hint: 'start one with merge()' });
  if (groups.length > 1) {
    const names = groups.map((g) => g.tables.map((t) => t.display).join(' + '));
    throw new VsgError('E_TABLE_REQUIRED', `several merges are in progress (into ${names.join(', ')}); name one with the table option`, { data: { tables: names } });
  }
  return groups[0].tables;
}

/** Several tables' lists with each table's commits also by the ids log lists (repoOurs, repoTheirs, repoBases); one statement. */
export async function conflictsAcrossIn(db: Queryable, lists: ConflictList[]): Promise<ConflictList> {
  const { of } = await idsInLog(db, lists.flatMap((l) => [l.ours, l.theirs, ...l.bases]));
  const id = (c: string) => of.get(c) ?? c;
  return conflictsAcross(lists.map((l) => ({ ...l, repoOurs: id(l.ours), repoTheirs: id(l.theirs), repoBases: l.bases.map(id) })));
}

/** Several tables' conflict lists as one (ConflictList.tables). */
export function conflictsAcross(lists: ConflictList[]): ConflictList {
  const uniq = (xs: string[]) => [...new Set(xs)].join(', ');
  return {
    table: lists.map((l) => l.table).join(', '),
    branch: uniq(lists.map((l) => l.branch)),
    ours: lists.map((l) => l.ours).join(' '),
    theirs: lists.map((l) => l.theirs).join(' '),
    theirsRef: uniq(lists.map((l) => l.theirsRef)),
    base: '',
    bases: [],
    keyColumns: [],
    conflicts: lists.flatMap((l) => l.conflicts.map((c) => ({ table: l.table, ...c }))),
    unresolved: lists.reduce((n, l) => n + l.unresolved, 0),
    tables: Object.fromEntries(lists.map((l) => [l.table, l])),
  };
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
