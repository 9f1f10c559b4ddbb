/**
 * Rollback: a new ROLLBACK commit that undoes exactly one commit's change set,
 * like `git revert`. The revert is cell-level: an updated row gets back only
 * the columns that commit changed, so a later change to another column of
 * the same row is kept. It stops with a conflict, changing nothing, when the
 * row or cell no longer holds what that commit wrote (a later commit or an
 * uncommitted change touched it), unless forced.
 */
import type { Db, Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { ConflictError, ExitCode, VsgError } from '../errors.js';
import { applyImages } from '../core/apply.js';
import type { ApplyResult } from '../core/apply-sql.js';
import { changedRows, getCommit } from '../core/commits.js';
import { createCommit } from '../core/create-commit.js';
import { assertWritable } from '../core/guards.js';
import { tidyPending } from '../core/pending.js';
import { commitOfTable, shortId } from '../core/refs.js';
import { rollbackSql, rowExprsOf } from '../core/sql/timetravel.js';
import { columns, lockNamed } from '../core/tables.js';
import type { CommitInfo, Image } from '../core/types.js';

export interface RollbackOptions {
  table?: string;
  /** the commit to undo (default HEAD) */
  ref?: string;
  author: string;
  message?: string;
  /** undo even where later changes touched the same rows or cells (they are overwritten) */
  force?: boolean;
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
}

/** Undo one commit's change set as a new ROLLBACK commit. */
export async function rollback(db: Db, opts: RollbackOptions): Promise<RollbackResult> {
  const done = await db.transaction(async (tx) => {
    const table = await lockNamed(tx, opts.table);
    await assertWritable(tx, table);
    const id = await commitOfTable(tx, table, opts.ref ?? 'HEAD');
    const reverted = await getCommit(tx, id);
    const staged = rollbackSql(table.qname, rowExprsOf(table.keyColumns, await columns(tx, table.relid), 'c'));
    const conflicts = await findConflicts(tx, staged.conflicts, [id, table.id]);
    if (conflicts.length && !opts.force) {
      const n = conflicts.length;
      throw new ConflictError(
        'E_ROLLBACK_CONFLICT',
        `cannot roll back ${shortId(id)}: ${n} row${n === 1 ? '' : 's'} or cell${n === 1 ? '' : 's'} changed since`,
        { hint: `changed since:\n${conflictLines(conflicts, table.keyColumns).join('\n')}\nnothing was changed; use force to overwrite them`, data: { commit: id, conflicts } },
      );
    }
    const applied = await applyImages(tx, table, { text: staged.source, params: [id, table.id] });
    if (applied.inserted + applied.updated + applied.deleted === 0) {
      throw new VsgError('E_NOTHING_TO_ROLLBACK', `nothing to roll back: the changes of ${shortId(id)} are already undone`, {
        exitCode: ExitCode.no,
      });
    }
    const commit = await createCommit(tx, table, {
      kind: 'ROLLBACK',
      takeAll: false,
      author: opts.author,
      message: opts.message ?? `Rollback "${reverted.message.split('\n')[0]}"\n\nThis rolls back commit ${id}.`,
      meta: { rollback: id },
    });
    return { table: table.display, branch: table.head, reverted, commit, applied, overridden: conflicts };
  });
  await tidyPending(db, changedRows(done.commit));
  return done;
}

async function findConflicts(tx: Queryable, text: string, params: unknown[]): Promise<RollbackConflict[]> {
  const { rows } = await tx.query<{ key: string; col: string | null; reason: string; before: string | null; after: string | null; cur: string | null }>(text, params);
  const parse = (v: string | null) => (v === null ? null : (JSON.parse(v) as string | Image | null));
  return rows.map((r) => ({
    key: JSON.parse(r.key) as Image,
    column: r.col,
    reason: r.reason,
    before: parse(r.before),
    after: parse(r.after),
    current: parse(r.cur),
  }));
}

/** One line per conflict, for the error's hint. */
export function conflictLines(conflicts: RollbackConflict[], keyColumns: string[]): string[] {
  const show = (v: string | Image | null) => (v === null ? 'NULL' : typeof v === 'string' ? JSON.stringify(v) : 'a row');
  return conflicts.map((c) => {
    const key = keyColumns.map((k) => `${k}=${c.key[k]}`).join(', ');
    if (c.column === null) return `  ${key}: ${c.reason} since the commit`;
    return `  ${key} ${c.column}: the commit set ${show(c.after)} (was ${show(c.before)}), now ${show(c.current)}`;
  });
}
