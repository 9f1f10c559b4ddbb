/**
 * Reading any version without touching the live table: the rows as of a
 * commit are the live rows whose key did not change since (read in place) plus
 * the commit's images of the keys that did (from the change sets on the path
 * between them). One query inside PostgreSQL, read through a cursor in
 * batches, so a large table streams instead of being loaded at once.
 */
import type { Db, Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { isVsgError, VsgError } from '../errors.js';
import { historyRowsQuery, tableColumns } from '../core/dropped.js';
import { readName } from '../core/citus.js';
import { commonAncestor } from '../core/mergebase.js';
import { foreignKeys, writeOrder } from '../core/fk-graph.js';
import { isHeadRef, resolveRef, shortId, stateAt } from '../core/refs.js';
import { hasAncestry, notTrackedThen, statesOf } from '../core/repo-refs.js';
import { declareCursor, fetchForward } from '../core/sql/ddl.js';
import { rowsAt as rowsAtSql } from '../core/sql/rows.js';
import { columns, listTables, resolveHistory, resolveTable, tableById, type TrackedTable } from '../core/tables.js';

/** The cursor an export reads its rows through (sql/export/close_cursor.sql closes it). */
const CURSOR = 'vsg_export';

export interface ExportOptions {
  table?: string;
  /** the commit (default HEAD: the last committed state, without uncommitted changes) */
  at?: string;
  /** rows per FETCH (default 1000) */
  batchSize?: number;
}

export interface ExportHeader {
  table: string;
  schema: string;
  name: string;
  /** the commit read */
  commit: string;
  /** what the user asked for */
  ref: string;
  keyColumns: string[];
  /** the table's columns now, in order (a column added since the commit reads NULL) */
  columns: string[];
  /** their types, as format_type spells them */
  types: string[];
  /** generated columns (not written by an INSERT) */
  generated: string[];
  /** whether a column is GENERATED ALWAYS AS IDENTITY (an INSERT needs OVERRIDING SYSTEM VALUE) */
  identityAlways: boolean;
}

/** A batch of rows: each value its PostgreSQL text form, null for SQL NULL (and for a forgotten value: see ForgottenRows). */
export type RowBatch = (string | null)[][];

/**
 * The rows of a batch that hold forgotten values (vsg forget), by their index
 * in the batch: the columns forgotten (null in the row), each with its marker
 * (equal markers: equal values forgotten together). Absent when none.
 */
export type ForgottenRows = Record<number, Record<string, string>>;

export interface ExportSink {
  header?(h: ExportHeader): void | Promise<void>;
  rows(batch: RowBatch, forgotten?: ForgottenRows): void | Promise<void>;
  /** after a table's last rows */
  end?(h: ExportHeader): void | Promise<void>;
}

export interface ExportResult extends ExportHeader {
  rowCount: number;
}

export interface RowsAtResult extends ExportHeader {
  rows: RowBatch;
  /** the rows holding forgotten values (vsg forget), by index in rows: the columns forgotten, each with its marker; absent when none */
  forgotten?: ForgottenRows;
}

/** Stream a table's rows as of a commit, in key order, to a sink. */
export async function exportRows(db: Db, opts: ExportOptions, sink: ExportSink): Promise<ExportResult> {
  const ref = opts.at ?? 'HEAD';
  let table = opts.table !== undefined || isHeadRef(ref) ? await resolveHistory(db, opts.table) : undefined;
  const at = await resolveRef(db, ref, table);
  table ??= await tableById(db, at.tableId);
  if (at.tableId !== table.id) {
    throw new VsgError('E_OTHER_TABLE', `'${ref}' (${shortId(at.id)}) is a commit of another table, not '${table.display}'`);
  }
  const t = table;
  return db.transaction((tx) => streamTable(tx, t, at.id, ref, opts.batchSize ?? 1000, sink));
}

/** One table's rows as of commit `id`, header first, through the cursor, to `sink`. */
async function streamTable(tx: Queryable, t: TrackedTable, id: string, ref: string, size: number, sink: ExportSink): Promise<ExportResult> {
  const cols = await tableColumns(tx, t);
  const header: ExportHeader = {
    table: t.display,
    schema: t.schema,
    name: t.name,
    commit: id,
    ref,
    keyColumns: t.keyColumns,
    columns: cols.map((c) => c.name),
    types: cols.map((c) => c.type),
    generated: cols.filter((c) => c.generated).map((c) => c.name),
    identityAlways: cols.some((c) => c.identity === 'a'),
  };
  await sink.header?.(header);
  const q = await rowsAtQuery(tx, t, id);
  await tx.query(declareCursor(CURSOR, q.text), q.params);
  let rowCount = 0;
  for (;;) {
    const { rows } = await tx.query<Record<string, string | null>>(fetchForward(CURSOR, size));
    if (rows.length === 0) break;
    rowCount += rows.length;
    let forgotten: ForgottenRows | undefined;
    rows.forEach((r, i) => {
      if (r.f === null || r.f === undefined) return;
      // (a column dropped since is not exported, nor is its marker)
      const f = Object.entries(JSON.parse(r.f) as Record<string, string>).filter(([c]) => cols.some((x) => x.name === c));
      if (f.length) (forgotten ??= {})[i] = Object.fromEntries(f);
    });
    await sink.rows(rows.map((r) => cols.map((_, i) => r[`c${i}`] ?? null)), forgotten);
    if (rows.length < size) break;
  }
  await tx.query(sql('export/close_cursor'));
  await sink.end?.(header);
  return { ...header, rowCount };
}

export interface ExportTablesOptions {
  /** the tables (default: every tracked table that is not dropped) */
  tables?: string[];
  /** the commit (default HEAD): with `~N`/`^`, counted back across tables; each table as it stood then */
  at?: string;
  /** list the tables parents first by their foreign keys (what a SQL script needs), else in the order given or listed */
  parentsFirst?: boolean;
  batchSize?: number;
}

/**
 * Export several tables from one REPEATABLE READ snapshot, each as of its
 * commit at `at`, one after another to `sink` (header, rows…, end per table).
 * A table not tracked yet at `at` is left out unless named.
 */
export async function exportTables(db: Db, opts: ExportTablesOptions, sink: ExportSink): Promise<ExportResult[]> {
  const ref = opts.at ?? 'HEAD';
  return db.transaction(async (tx) => {
    await tx.query(sql('verify/repeatable_read'));
    const named = !!opts.tables?.length;
    // a commit of a history untracked since (vsg untrack): that history, as it stood then
    const untracked = named || isHeadRef(ref) || hasAncestry(ref) ? null : await untrackedAt(tx, ref);
    if (untracked) return [await streamTable(tx, untracked.table, untracked.id, ref, opts.batchSize ?? 1000, sink)];
    const listed = await listTables(tx);
    const tables = named ? await Promise.all([...new Set(opts.tables)].map((n) => resolveTable(tx, n))) : listed.filter((t) => !t.gone);
    if (tables.length === 0) throw new VsgError('E_NO_TABLES', 'no table is tracked yet', { hint: 'track one first' });
    const at = await statesOf(tx, tables, ref, (t) =>
      stateAt(tx, t, ref).catch((e: unknown) => {
        if (isVsgError(e) && e.code === 'E_OTHER_TABLE' && !named) return null;
        throw e;
      }),
    );
    let order = tables.filter((t) => at.get(t.id));
    if (named) for (const t of tables) if (!at.get(t.id)) throw notTrackedThen(t, ref);
    if (opts.parentsFirst) {
      const relids = order.filter((t) => !t.gone).map((t) => t.relid);
      const shown = new Map(order.map((t) => [t.relid, t.display]));
      const { parentsFirst } = writeOrder(relids, await foreignKeys(tx, relids), (r) => shown.get(r) ?? r);
      order = [...parentsFirst.map((r) => order.find((t) => t.relid === r) as TrackedTable), ...order.filter((t) => t.gone)];
    }
    const out: ExportResult[] = [];
    for (const t of order) out.push(await streamTable(tx, t, at.get(t.id) as string, ref, opts.batchSize ?? 1000, sink));
    return out;
  });
}

/** The rows as of a commit, collected (for small tables and the library). */
export async function rowsAt(db: Db, opts: ExportOptions): Promise<RowsAtResult> {
  const all: RowBatch = [];
  let forgotten: ForgottenRows | undefined;
  const r = await exportRows(db, opts, {
    rows: (b, f) => {
      for (const [i, cols] of Object.entries(f ?? {})) (forgotten ??= {})[all.length + Number(i)] = cols;
      all.push(...b);
    },
  });
  const { rowCount: _n, ...header } = r;
  return { ...header, rows: all, ...(forgotten ? { forgotten } : {}) };
}

/**
 * The query yielding the rows of `table` as of commit `id`, each column as
 * text aliased c0..cN, in key order. Cost: the table read once (it is the
 * answer) plus the changes between the commit and HEAD.
 */
export async function rowsAtQuery(tx: Queryable, table: TrackedTable, id: string): Promise<{ text: string; params: unknown[] }> {
  const head = table.headCommit;
  if (head === null) throw new VsgError('E_NO_BRANCH', `'${table.display}' has no HEAD commit`);
  // a dropped table's rows come from its history alone (src/core/dropped.ts), as an untracked history's do
  if (table.gone || table.untrackedAt !== null) return historyRowsQuery(table, id);
  const lca = await commonAncestor(tx, id, head);
  const cols = await columns(tx, table.relid);
  // (a Citus distributed table is read from a copy: Citus will not plan it beside vsg's SQL functions)
  const text = rowsAtSql({ ...table, qname: await readName(tx, table, 'every row') }, cols);
  return { text, params: [id, head, lca.depth, true, table.id] };
}

/** The untracked history and commit `ref` names when it is a commit of one table whose history was untracked since, else null. */
async function untrackedAt(tx: Queryable, ref: string): Promise<{ table: TrackedTable; id: string } | null> {
  const at = await resolveRef(tx, ref).catch(() => null);
  if (!at || at.span) return null;
  const table = await tableById(tx, at.tableId);
  return table.untrackedAt !== null ? { table, id: at.id } : null;
}
