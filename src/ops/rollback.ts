/**
 * Rollback: a new ROLLBACK commit that undoes exactly one commit's change set,
 * like `git revert`. The revert is cell-level: an updated row gets back only
 * the columns that commit changed, so a later change to another column of
 * the same row is kept. It stops with a conflict, changing nothing, when the
 * row or cell no longer holds what that commit wrote (a later commit or an
 * uncommitted change touched it), unless forced.
 */
import type { Db, Queryable } from '../db/db.js';
import { ConflictError, ExitCode, isVsgError, VsgError } from '../errors.js';
import { commitEndsWriteBack, type ImageSource } from '../core/apply.js';
import type { ApplyResult } from '../core/apply-sql.js';
import { readName } from '../core/citus.js';
import { rollbackKeys } from '../core/sql/citus.js';
import { changedRows, getCommit, getCommits } from '../core/commits.js';
import { createCommit, finalOrAgain, type NewCommit } from '../core/create-commit.js';
import { assertWritable } from '../core/guards.js';
import { tidyPending } from '../core/pending.js';
import { commitOfTable, shortId } from '../core/refs.js';
import { rollbackSql, rowExprsOf } from '../core/sql/timetravel.js';
import { resolveAcross, recordSpan, spanInfo } from '../core/spans.js';
import { columns, lockNamed, lockTable, tableById, type LockedTable } from '../core/tables.js';
import { writeBackMany } from '../core/write-back-many.js';
import type { CommitInfo, Image } from '../core/types.js';
import { allowForgotten, type ForgottenPolicy } from '../core/forgets.js';
import { flagForgotten } from '../core/rows.js';

export interface RollbackOptions {
  table?: string;
  /** the commit to undo (default HEAD) */
  ref?: string;
  author: string;
  message?: string;
  /** undo even where later changes touched the same rows or cells (they are overwritten) */
  force?: boolean;
  /** where a value the write-back needs was forgotten (vsg forget): refuse (default, E_FORGOTTEN), write the live value, or NULL */
  forgotten?: ForgottenPolicy;
}

/** One row or cell the rollback would overwrite. */
export interface RollbackConflict {
  key: Image;
  /** the column, or null when the whole row conflicts */
  column: string | null;
  /** 'changed' (cell or row changed since), 'deleted' (row deleted since), 'reinserted', 'uncommitted' */
  reason: string;
  /** the value (or row) before the commit being undone: what the rollback would write */
  before: string | Image | null;
  /** the value (or row) that commit wrote */
  after: string | Image | null;
  /** the value (or row) now in the live table */
  current: string | Image | null;
  /** values forgotten (vsg forget), null above: per field, a cell's marker, or a row image's forgotten columns with their markers; absent when none */
  forgotten?: Partial<Record<'before' | 'after', string | Record<string, string>>>;
}

export interface RollbackResult {
  table: string;
  branch: string;
  /** the commit undone */
  reverted: CommitInfo;
  commit: CommitInfo;
  applied: ApplyResult;
  /** conflicts overwritten under --force */
  overridden: RollbackConflict[];
  /** a rollback across tables: each table's part (`commit` is then the commit across them) */
  parts?: RollbackResult[];
}

/**
 * Undo one commit's change set as a new ROLLBACK commit. Without a table
 * while several are tracked, the commit named (HEAD: the newest of the
 * tables' HEADs) may span tables: every table of it is undone in one
 * transaction, rows written in the order their foreign keys accept, as one
 * commit across those tables.
 */
export async function rollback(db: Db, opts: RollbackOptions): Promise<RollbackResult> {
  // (one table's rollback ends with its commit statement, which takes the
  // transaction's COMMIT with it where it can: finalOrAgain)
  const done = await finalOrAgain((final) => db.transaction(async (tx) => {
    allowForgotten(tx, opts.forgotten);
    const table = await lockNamed(tx, opts.table).catch((e: unknown) => {
      if (opts.table === undefined && isVsgError(e) && e.code === 'E_TABLE_REQUIRED') return null;
      throw e;
    });
    if (!table) return rollbackAcross(tx, opts);
    await assertWritable(tx, table);
    const id = await commitOfTable(tx, table, opts.ref ?? 'HEAD');
    const one = await undoPart(tx, table, id);
    if (one.conflicts.length && !opts.force) throw conflictError(id, [one]);
    // Through write-back-many, as a checkout of one table: a row of another
    // table that still references a row the rollback takes away refuses it
    // (a cascade would change a table the rollback was not asked to).
    const written = await writeBackMany(tx, [{ table, target: id, lcaDepth: 0, source: one.source }]);
    const applied = written.get(table.id)?.applied ?? { inserted: 0, updated: 0, deleted: 0 };
    if (applied.inserted + applied.updated + applied.deleted === 0) throw nothingLeft(id, [one.reverted]);
    const commit = await createCommit(tx, table, { ...rollbackCommit(opts, one.reverted), final: final && commitEndsWriteBack(tx, applied) });
    return { table: table.display, branch: table.head, reverted: one.reverted, commit, applied, overridden: one.conflicts };
  }));
  await tidyPending(db, (done.parts ?? [done]).reduce((n, p) => n + changedRows(p.commit), 0));
  return done;
}

/** One table's part of a rollback: the commit undone, what it would overwrite, and the images to write. */
interface Undo {
  table: LockedTable;
  reverted: CommitInfo;
  conflicts: RollbackConflict[];
  source: ImageSource;
}

async function undoPart(tx: Queryable, table: LockedTable, id: string): Promise<Undo> {
  const reverted = await getCommit(tx, id);
  // (a Citus distributed table: the rows of the keys the commit changed, and of those with uncommitted changes)
  const staged = rollbackSql(await readName(tx, table, rollbackKeys(table.id, id)), rowExprsOf(table.keyColumns, await columns(tx, table.relid), 'c'));
  const conflicts = await findConflicts(tx, staged.conflicts, [id, table.id]);
  return { table, reverted, conflicts, source: { text: staged.source, params: [id, table.id] } };
}

/** A table's ROLLBACK commit; `whole` is the commit undone when it spans tables (the message names it). */
function rollbackCommit(opts: RollbackOptions, reverted: CommitInfo, whole = reverted.id): NewCommit {
  return {
    kind: 'ROLLBACK',
    takeAll: false,
    author: opts.author,
    message: opts.message ?? `Rollback "${reverted.message.split('\n')[0]}"\n\nThis rolls back commit ${whole}.`,
    meta: { rollback: whole },
  };
}

function conflictError(id: string, undos: Undo[]): ConflictError {
  const all = undos.flatMap((u) => u.conflicts.map((c) => ({ ...c, table: u.table.display })));
  const n = all.length;
  const lines = undos.flatMap((u) => {
    const each = conflictLines(u.conflicts, u.table.keyColumns);
    return undos.length > 1 && each.length ? [`  ${u.table.display}:`, ...each.map((l) => `  ${l}`)] : each;
  });
  return new ConflictError(
    'E_ROLLBACK_CONFLICT',
    `cannot roll back ${shortId(id)}: ${n} row${n === 1 ? '' : 's'} or cell${n === 1 ? '' : 's'} changed since`,
    { hint: `changed since:\n${lines.join('\n')}\nnothing was changed; use force to overwrite them`, data: { commit: id, conflicts: undos.length > 1 ? all : all.map(({ table: _t, ...c }) => c) } },
  );
}

/**
 * Nothing was written back: the commit's rows are as it left them undone
 * already, or it changed columns only (a SCHEMA commit of no row), which a
 * rollback, a write of rows, does not undo.
 */
const nothingLeft = (id: string, reverted: readonly CommitInfo[]) =>
  reverted.every((c) => c.kind === 'SCHEMA' && (c.inserted ?? 0) + (c.updated ?? 0) + (c.deleted ?? 0) === 0)
    ? new VsgError('E_NOTHING_TO_ROLLBACK', `nothing to roll back: ${shortId(id)} changed columns only, and a rollback writes rows back, never columns`, {
        exitCode: ExitCode.no,
        hint: 'undo a schema change with the opposite ALTER TABLE, committed as any other (commit())',
      })
    : new VsgError('E_NOTHING_TO_ROLLBACK', `nothing to roll back: the changes of ${shortId(id)} are already undone`, { exitCode: ExitCode.no });

/**
 * Rollback with no table named while several are tracked: the commit named,
 * across every table it changed. Each table's part is undone in one write
 * (write-back-many.ts: rows removed children first, rows brought back parents
 * first) and gets its ROLLBACK commit; two or more are one commit across tables.
 */
async function rollbackAcross(tx: Queryable, opts: RollbackOptions): Promise<RollbackResult> {
  const named = await resolveAcross(tx, opts.ref ?? 'HEAD');
  const reverted = await getCommits(tx, named.parts);
  const undos: Undo[] = [];
  for (const part of [...reverted].sort((a, b) => a.tableId - b.tableId)) {
    const table = await lockTable(tx, await tableById(tx, part.tableId));
    await assertWritable(tx, table);
    undos.push(await undoPart(tx, table, part.id));
  }
  const id = named.span ?? named.parts[0];
  if (undos.some((u) => u.conflicts.length) && !opts.force) throw conflictError(id, undos);
  const written = await writeBackMany(tx, undos.map((u) => ({ table: u.table, target: u.reverted.id, lcaDepth: 0, source: u.source })));
  const results: RollbackResult[] = [];
  for (const u of undos) {
    const applied = written.get(u.table.id)?.applied ?? { inserted: 0, updated: 0, deleted: 0 };
    if (applied.inserted + applied.updated + applied.deleted === 0) continue;
    const commit = await createCommit(tx, u.table, rollbackCommit(opts, u.reverted, id));
    results.push({ table: u.table.display, branch: u.table.head, reverted: u.reverted, commit, applied, overridden: u.conflicts });
  }
  if (results.length === 0) throw nothingLeft(id, reverted);
  if (results.length === 1 && named.span === null) return results[0];
  const sum = (k: keyof ApplyResult) => results.reduce((n, r) => n + r.applied[k], 0);
  const commit = results.length === 1 ? results[0].commit : spanInfo(await recordSpan(tx, results.map((r) => r.commit)), results.map((r) => r.commit));
  return {
    table: results.map((r) => r.table).join(', '),
    branch: [...new Set(results.map((r) => r.branch))].join(', '),
    reverted: named.span ? spanInfo(named.span, reverted) : reverted[0],
    commit,
    applied: { inserted: sum('inserted'), updated: sum('updated'), deleted: sum('deleted') },
    overridden: undos.flatMap((u) => u.conflicts),
    parts: results,
  };
}

async function findConflicts(tx: Queryable, text: string, params: unknown[]): Promise<RollbackConflict[]> {
  const { rows } = await tx.query<{ key: string; col: string | null; reason: string; before: string | null; after: string | null; cur: string | null }>(text, params);
  const parse = (v: string | null) => (v === null ? null : (JSON.parse(v) as string | Image | null));
  return rows.map((r) => {
    const k = r.col === null ? 'image' : 'value';
    return flagForgotten({ key: JSON.parse(r.key) as Image, column: r.col, reason: r.reason, before: parse(r.before), after: parse(r.after), current: parse(r.cur) } as RollbackConflict, { before: k, after: k });
  });
}

/** One line per conflict, for the error's hint. */
export function conflictLines(conflicts: RollbackConflict[], keyColumns: string[]): string[] {
  return conflicts.map((c) => {
    const show = (v: string | Image | null, field?: 'before' | 'after') =>
      field && c.forgotten?.[field] !== undefined ? '«forgotten»' : v === null ? 'NULL' : typeof v === 'string' ? JSON.stringify(v) : 'a row';
    const key = keyColumns.map((k) => `${k}=${c.key[k]}`).join(', ');
    if (c.column === null) return `  ${key}: ${c.reason} since the commit`;
    return `  ${key} ${c.column}: the commit set ${show(c.after, 'after')} (was ${show(c.before, 'before')}), now ${show(c.current)}`;
  });
}
