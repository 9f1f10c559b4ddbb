/**
 * Diff: rows that differ between two versions of a table, by primary key,
 * computed inside PostgreSQL from the change sets between them.
 */
import type { Db, Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { isVsgError, VsgError } from '../errors.js';
import { isHeadRef, resolveRef, stateAt } from '../core/refs.js';
import { gather } from '../core/gather.js';
import { commonAncestor } from '../core/mergebase.js';
import { notTrackedThen, statesOf } from '../core/repo-refs.js';
import { idsInLog } from '../core/spans.js';
import { compareKeys, parseChanges, statOf, type DiffStat } from '../core/rows.js';
import { listTables, resolveHistory, resolveTable, tableById, type TrackedTable } from '../core/tables.js';
import { tableColumns } from '../core/dropped.js';
import { schemaBetween, unrecordedSchemaChange, type SchemaChange } from '../core/schema.js';
import type { RowChange } from '../core/types.js';

export interface DiffSide {
  /** what the user wrote, or 'HEAD' / 'WORKING' */
  ref: string;
  /** the commit, or null for the live (working) table */
  id: string | null;
  /**
   * In a diff of several tables: the commit of the repository this side
   * stands for, by the id `vsg log` lists (the commit across tables the
   * newest of the tables' commits here is a part of, or that commit); the
   * same in every table's entry, null for the live tables. `id` stays this
   * table's own commit.
   */
  repoCommit?: string | null;
}

export interface DiffResult {
  table: string;
  keyColumns: string[];
  /** the table's columns now, in order */
  columns: string[];
  from: DiffSide;
  to: DiffSide;
  /** schema changes between the two sides (SCHEMA commits on the way; against the live table, also those made outside vsg, commit null) */
  schema: SchemaChange[];
  /** the new side is the live table and it was dropped (its history is kept; restore recreates it) */
  dropped: boolean;
  stat: DiffStat;
  changes: RowChange[];
}

export interface DiffOptions {
  table?: string;
  from?: string;
  to?: string;
}

/** Diff two commits, or a commit (default HEAD) against the live table. */
export async function diff(db: Queryable, opts: DiffOptions = {}): Promise<DiffResult> {
  let table: TrackedTable | undefined = opts.table !== undefined ? await resolveHistory(db, opts.table) : undefined;
  const fromRef = opts.from ?? 'HEAD';
  if (!table && (isHeadRef(fromRef) || (opts.to !== undefined && isHeadRef(opts.to)))) table = await resolveTable(db);
  const from = await resolveRef(db, fromRef, table);
  table ??= await tableById(db, from.tableId);
  // An untracked history has no working table: its versions end at its HEAD (the UNTRACK commit).
  const toRef = opts.to ?? (table.untrackedAt !== null ? 'HEAD' : undefined);
  const to = toRef !== undefined ? await resolveRef(db, toRef, table) : null;
  if (from.tableId !== table.id || (to && to.tableId !== table.id)) {
    throw new VsgError('E_OTHER_TABLE', `'${from.tableId !== table.id ? fromRef : toRef}' is a commit of another table`, {
      hint: 'diff compares versions of one table',
    });
  }
  return diffOne(db, table, { ref: fromRef, id: from.id }, to ? { ref: toRef as string, id: to.id } : null);
}

/** One table's diff between commit `from` and commit `to`, or the live table when `to` is null. */
async function diffOne(db: Queryable, table: TrackedTable, from: { ref: string; id: string }, to: { ref: string; id: string } | null): Promise<DiffResult> {
  const fromRef = from.ref;
  const changes = await diffStates(db, table, from.id, to ? to.id : null);
  const newer = to ? to.id : table.headCommit ?? from.id;
  const schema = await schemaBetween(db, from.id, newer, (await commonAncestor(db, from.id, newer)).depth);
  // the live table's columns changed outside vsg: the next commit records it
  const outside = to === null ? await unrecordedSchemaChange(db, table) : [];
  if (outside.length) schema.push({ commit: null, side: 'to', changes: outside });
  return {
    table: table.display,
    keyColumns: table.keyColumns,
    columns: (await tableColumns(db, table)).map((c) => c.name),
    from: { ref: fromRef, id: from.id },
    to: { ref: to ? to.ref : 'WORKING', id: to ? to.id : null },
    schema,
    dropped: to === null && table.gone,
    stat: statOf(changes),
    changes,
  };
}

export interface DiffManyOptions {
  /** the tables (default: every tracked table) */
  tables?: string[];
  from?: string;
  to?: string;
}

/** A diff of several tables: each table's DiffResult, keyed by table. */
export type DiffManyResult = Record<string, DiffResult>;

/**
 * Diff several tables (default: every tracked table), each between its own
 * versions of `from` and `to` (refs.ts › stateAt: HEAD~N and names per table;
 * a commit, across tables or of another table, as the table stood then). A
 * table not tracked yet at `from` or `to` is left out. Every table is read
 * from one REPEATABLE READ snapshot, so that a commit landing meanwhile
 * cannot show some tables before it and others after.
 */
export async function diffMany(db: Db, opts: DiffManyOptions = {}): Promise<DiffManyResult> {
  return db.transaction(async (tx) => {
    await tx.query(sql('verify/repeatable_read'));
    return diffManyIn(tx, opts);
  });
}

async function diffManyIn(db: Queryable, opts: DiffManyOptions): Promise<DiffManyResult> {
  const tables = opts.tables?.length ? await Promise.all([...new Set(opts.tables)].map((n) => resolveTable(db, n))) : await listTables(db);
  const out: DiffManyResult = {};
  const side = async (ref: string) => {
    const at = await statesOf(db, tables, ref, (table) =>
      stateAt(db, table, ref).catch((e: unknown) => {
        if (isVsgError(e) && e.code === 'E_OTHER_TABLE' && !opts.tables?.length) return null;
        throw e;
      }),
    );
    // a table named (-t) must have a commit there; one not named is left out
    if (opts.tables?.length) for (const t of tables) if (!at.get(t.id)) throw notTrackedThen(t, ref);
    return at;
  };
  const froms = await side(opts.from ?? 'HEAD');
  const tos = opts.to !== undefined ? await side(opts.to) : null;
  for (const table of tables) {
    const from = froms.get(table.id) ?? null;
    const to = tos === null ? undefined : tos.get(table.id) ?? null;
    if (from === null || to === null) continue;
    out[table.display] = await diffOne(db, table, { ref: opts.from ?? 'HEAD', id: from }, to === undefined ? null : { ref: opts.to as string, id: to });
  }
  // the ids log lists: each side's commit of the repository, and each schema change's commit
  const all = Object.values(out);
  const ids = await idsInLog(db, all.flatMap((d) => [d.from.id, d.to.id, ...d.schema.map((x) => x.commit)]));
  const [repoFrom, repoTo] = [ids.newestOf(all.map((d) => d.from.id)), ids.newestOf(all.map((d) => d.to.id))];
  for (const d of all) {
    d.from.repoCommit = repoFrom;
    d.to.repoCommit = d.to.id === null ? null : repoTo;
    for (const x of d.schema) x.repoCommit = x.commit === null ? null : ids.of.get(x.commit) ?? x.commit;
  }
  return out;
}

/**
 * Rows that differ between commit `a` and commit `b` of a table, or the live
 * table when `b` is null (HEAD plus its uncommitted changes).
 */
export async function diffStates(db: Queryable, table: TrackedTable, a: string, b: string | null): Promise<RowChange[]> {
  const target = b ?? table.headCommit;
  if (target === null) throw new VsgError('E_NO_BRANCH', `'${table.display}' has no HEAD commit`);
  const lca = await commonAncestor(db, a, target);
  // the live table: what was captured on Citus shards counts (src/core/citus.ts)
  if (b === null) await gather(db, [table.id]);
  const { rows } = await db.query<{ key: string; old: string | null; new: string | null }>(sql('diff/between'), [
    a,
    target,
    lca.depth,
    b === null,
    table.id,
  ]);
  return parseChanges(rows).sort((x, y) => compareKeys(x.key, y.key, table.keyColumns));
}

