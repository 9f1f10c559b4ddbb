/**
 * Commit: run the user's SQL and record exactly the rows it changed, in the
 * same transaction as the commit row and the branch pointer move. Without SQL,
 * record the uncommitted changes others made since HEAD.
 */
import type { Db, PgLikeClient, Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { ConflictError, ExitCode, SqlError, VsgError } from '../errors.js';
import { maybeCheckpoint } from './checkpoint.js';
import { getCommit } from './commits.js';
import { resolveRef, shortId } from './refs.js';
import { assertKeyKept, recordSchemaChange, sameSignature, signature } from './schema.js';
import { lockTable, resolveTable, type TrackedTable } from './tables.js';
import type { CommitInfo } from './types.js';

export interface CommitOptions {
  table?: string;
  /** SQL to run; without it, the table's uncommitted changes are committed */
  sql?: string;
  message?: string;
  author: string;
  /** the commit the writer based the change on; HEAD must still be it */
  parent?: string;
  allowEmpty?: boolean;
  meta?: Record<string, string>;
  /**
   * `author` is only a default (no --author was given): when recording
   * uncommitted changes whose writers all set the same `vsg.author` session
   * setting, that author wins.
   */
  authorIsDefault?: boolean;
}

/**
 * The transaction an application's work runs in (see Repository.commit):
 * `client` is the connection itself when the repository was opened on the
 * application's own pg client or pool.
 */
export type WorkTx = Queryable & { client?: PgLikeClient };

export interface CommitResult {
  commit: CommitInfo;
  branch: string;
  table: string;
  /** for a SCHEMA commit, what the statement changed ("column 'email' added (text)") */
  schema?: string[];
}

/** What createCommit records. */
export interface NewCommit {
  kind: 'ROOT' | 'COMMIT' | 'CHECKOUT' | 'ROLLBACK' | 'MERGE' | 'SCHEMA';
  /** take every uncommitted change of the table, not only this transaction's */
  takeAll: boolean;
  author: string;
  message: string;
  statement?: string | null;
  meta?: Record<string, unknown> | null;
  mergeParent?: string | null;
  allowEmpty?: boolean;
  /** use the writers' vsg.author session setting when they all agree (over `author`) */
  sessionAuthor?: boolean;
  /** merge the writers' vsg.meta session settings under `meta` */
  sessionMeta?: boolean;
  /**
   * A CHECKOUT recorded as a state commit: its rows are this commit's, and it
   * takes no change rows (src/engine/checkpoint.ts wrote the table).
   */
  source?: string;
}

/**
 * A commit that took many rows from vsg.pending leaves as many dead entries,
 * which every later status and commit reads through its indexes until a
 * vacuum. The embedded database has no autovacuum (and a server may have it
 * off): clean up after a large one, outside the transaction. Inside an
 * application's own transaction VACUUM cannot run; autovacuum, if on, does it.
 */
export async function tidyPending(db: Db, changed: number): Promise<void> {
  if (changed > 10_000) await db.query('VACUUM vsg.pending').catch(() => undefined);
}

/** The rows a commit changed (0 for a state commit, which wrote no change rows). */
export const changedRows = (c: CommitInfo | null | undefined): number => (c ? (c.inserted ?? 0) + (c.updated ?? 0) + (c.deleted ?? 0) : 0);

/**
 * Commit SQL (or the uncommitted changes) to a table's current branch. With
 * `work`, the application's own code makes the change inside the commit's
 * transaction (instead of SQL) and what it returns is passed back as `result`.
 */
export async function commit<T = undefined>(db: Db, opts: CommitOptions, work?: (tx: WorkTx) => Promise<T>): Promise<CommitResult & { result?: T }> {
  const target = await resolveTable(db, opts.table);
  const done = await db.transaction(async (tx) => {
    const table = await lockTable(tx, target);
    await assertWritable(tx, table);
    if (opts.parent !== undefined) {
      const parent = await resolveRef(tx, opts.parent, table);
      if (parent.id !== table.headCommit) {
        throw new ConflictError('E_STALE_PARENT', `'${table.display}' has moved: HEAD is ${shortId(table.headCommit ?? '')}, not ${shortId(parent.id)}`, {
          hint: 'read the new HEAD and retry, or commit on a branch and merge',
          data: { head: table.headCommit, parent: parent.id },
        });
      }
    }
    if (opts.sql !== undefined && work) {
      throw new VsgError('E_USAGE', 'give either SQL or a function that makes the change, not both', { exitCode: ExitCode.usage });
    }
    // A statement may change the table's columns too, and so may an ALTER made
    // outside vsg since the columns were last recorded: either makes a SCHEMA commit.
    const now = await signature(tx, table.relid);
    const shapeBefore = table.signature ?? now;
    const outside = !sameSignature(shapeBefore, now);
    if (opts.sql !== undefined) await runUserSql(tx, opts.sql);
    const result = work ? await work(tx) : undefined;
    const shapeAfter = opts.sql !== undefined || work ? await signature(tx, table.relid) : now;
    const reshaped = !sameSignature(shapeBefore, shapeAfter);
    if (outside) assertKeyKept(table, shapeBefore, now, true);
    if (reshaped) assertKeyKept(table, now, shapeAfter);
    const takeAll = opts.sql === undefined && !work;
    const commit = await createCommit(tx, table, {
      kind: reshaped ? 'SCHEMA' : 'COMMIT',
      takeAll,
      author: opts.author,
      message: opts.message ?? (work ? 'change made by the application' : defaultMessage(opts.sql, outside)),
      statement: opts.sql ?? null,
      // The column lists go into the hashed metadata too, so verify can vouch for vsg.schema_changes.
      meta: reshaped
        ? { ...opts.meta, 'vsg.schema': { before: shapeBefore.columns, after: shapeAfter.columns } }
        : opts.meta && Object.keys(opts.meta).length
          ? opts.meta
          : null,
      allowEmpty: opts.allowEmpty || reshaped,
      sessionAuthor: takeAll && opts.authorIsDefault === true,
      sessionMeta: opts.sql === undefined,
    });
    const schema = reshaped ? await recordSchemaChange(tx, table, commit.id, shapeBefore, shapeAfter) : undefined;
    const out: CommitResult = { commit, branch: table.head, table: table.display, ...(schema ? { schema } : {}) };
    return work ? { ...out, result } : out;
  });
  await tidyPending(db, changedRows(done.commit));
  return done;
}

function defaultMessage(statement: string | undefined, outside: boolean): string {
  if (statement === undefined) return outside ? 'record uncommitted changes and a schema change made outside vsg' : 'record uncommitted changes';
  const line = statement.trim().split('\n')[0].replace(/\s+/g, ' ');
  return line.length > 72 ? `${line.slice(0, 69)}...` : line;
}

/** Refuse writes that would fork or corrupt history (hook for in-progress merges). */
export async function assertWritable(tx: Queryable, table: TrackedTable): Promise<void> {
  if (table.branchId === null || table.headCommit === null) {
    throw new VsgError('E_NO_BRANCH', `'${table.display}' follows branch '${table.head}', which does not exist`, {
      hint: 'switch to an existing branch',
    });
  }
  const { rows } = await tx.query<{ present: string | null }>(`SELECT to_regclass('vsg.merges')::text AS present`);
  if (rows[0]?.present) {
    const m = await tx.query('SELECT 1 FROM vsg.merges WHERE table_id = $1', [table.id]);
    if (m.rowCount > 0) {
      throw new VsgError('E_MERGE_IN_PROGRESS', `a merge into '${table.display}' is in progress`, {
        hint: 'finish it with mergeContinue() or forget it with mergeAbort()',
      });
    }
  }
}

/** Run the user's statement(s) inside vsg's transaction; a failure keeps PostgreSQL's report. */
export async function runUserSql(tx: Queryable, statement: string): Promise<void> {
  const before = await tx.query<{ x: string }>('SELECT txid_current()::text AS x');
  try {
    await tx.query(statement);
  } catch (e) {
    throw toSqlError(e, statement);
  }
  const after = await tx.query<{ x: string }>('SELECT txid_current()::text AS x');
  if (after.rows[0].x !== before.rows[0].x) {
    throw new VsgError('E_TX_CONTROL', 'the SQL ended vsg\'s transaction (COMMIT, ROLLBACK or END in the statement)', {
      exitCode: ExitCode.sql,
      hint: 'leave transaction control to vsg; status() shows any change that was committed anyway',
    });
  }
}

/** PostgreSQL's error as a SqlError with position, detail and hint. */
export function toSqlError(e: unknown, statement: string): VsgError {
  const err = e as { message?: string; code?: string; position?: string; detail?: string; hint?: string };
  if (err.code === '42501') {
    return new VsgError('E_PERMISSION', `permission denied: ${err.message}`, { exitCode: ExitCode.permission, cause: e });
  }
  if (err.code === undefined) throw e;
  return new SqlError(
    String(err.message),
    { sqlstate: err.code, position: err.position ? Number(err.position) : undefined, detail: err.detail, hint: err.hint, statement },
    e,
  );
}

/**
 * Create a commit on the table's current branch from the captured changes and
 * move the branch, compare-and-swap: if the branch moved meanwhile, fail.
 */
export async function createCommit(tx: Queryable, table: TrackedTable, c: NewCommit): Promise<CommitInfo> {
  const parent = c.kind === 'ROOT' ? null : table.headCommit;
  // commits_linear (branch_id, parent) is unique: a writer that raced past the
  // branch lock fails here rather than forking history; that is a retryable conflict.
  const meta = c.meta ? JSON.stringify(c.meta) : null;
  const insert = c.source
    ? tx.query<{ id: string }>(sql('commit/state'), [table.id, parent, table.branchId, c.source, c.author, c.message, meta])
    : tx.query<{ id: string }>(sql('commit/create'), [
        table.id,
        c.takeAll,
        parent,
        c.mergeParent ?? null,
        c.kind === 'ROOT' ? null : table.branchId,
        c.kind,
        c.author,
        c.message,
        c.statement ?? null,
        meta,
        c.allowEmpty ?? false,
        c.sessionAuthor ?? false,
        c.sessionMeta ?? false,
      ]);
  const { rows } = await insert.catch((e: { code?: string; constraint?: string; message?: string }) => {
    if (e?.code === '23505' && (e.constraint === 'commits_linear' || String(e.message).includes('commits_linear'))) {
      throw new ConflictError('E_STALE_PARENT', `branch '${table.head}' of '${table.display}' already has a commit on ${shortId(parent ?? '')}`, {
        hint: 'retry the command',
        data: { parent },
      });
    }
    throw e;
  });
  if (!rows[0]) {
    throw new VsgError('E_NOTHING_TO_COMMIT', `nothing to commit: no row of '${table.display}' changed`, {
      exitCode: ExitCode.no,
      hint: c.statement ? 'the statement was rolled back; use allowEmpty to record it anyway' : 'status() shows uncommitted changes',
    });
  }
  const id = rows[0].id;
  if (c.kind !== 'ROOT') {
    const moved = await tx.query('UPDATE vsg.refs SET commit_id = $1 WHERE id = $2 AND commit_id = $3', [id, table.branchId, parent]);
    if (moved.rowCount !== 1) {
      throw new ConflictError('E_STALE_PARENT', `branch '${table.head}' of '${table.display}' moved during the commit`, {
        hint: 'retry the command',
      });
    }
  }
  const made = await getCommit(tx, id);
  await maybeCheckpoint(tx, table, made);
  return made;
}
