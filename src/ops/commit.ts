/**
 * Commit: run the user's SQL and record exactly the rows it changed, in the
 * same transaction as the commit row and the branch pointer move. Without SQL,
 * record the uncommitted changes others made since HEAD.
 */
import { assertRunsInTransaction } from '../db/statements.js';
import type { Db, PgLikeClient, Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { ConflictError, ExitCode, VsgError } from '../errors.js';
import { changedRows } from '../core/commits.js';
import { createCommit } from '../core/create-commit.js';
import { assertWritable } from '../core/guards.js';
import { tidyPending } from '../core/pending.js';
import { resolveRef, shortId } from '../core/refs.js';
import { assertKeyKept, recordSchemaChange } from '../core/schema.js';
import { sameSignature, type Signature } from '../core/signature.js';
import { toSqlError } from '../core/sql-error.js';
import { shareNamed, type LockedTable } from '../core/tables.js';
import type { CommitInfo } from '../core/types.js';

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
  /**
   * Earlier uncommitted changes by other writers (an application) to rows the
   * SQL changed, recorded first as their own commit, under their writers'
   * vsg.author and vsg.meta: the parent of `commit`.
   */
  recorded?: CommitInfo;
  /** what `recorded` also records of a schema change made outside vsg */
  recordedSchema?: string[];
}

/**
 * Commit SQL (or the uncommitted changes) to a table's current branch. With
 * `work`, the application's own code makes the change inside the commit's
 * transaction (instead of SQL) and what it returns is passed back as `result`.
 *
 * The SQL (or the work) runs holding the table's vsg row only FOR KEY SHARE:
 * other commits to the table run at the same time (row locks serialise
 * writers of the same rows), while write-backs, switch and merge wait for it.
 * The branch is locked only to append, after the SQL, and the commit goes on
 * the HEAD found then; `parent` is checked there too. Earlier uncommitted
 * changes by other writers to the rows the SQL changed are recorded first, as
 * their own commit (`recorded`), so that the statement's commit holds its own
 * change alone.
 */
export async function commit<T = undefined>(db: Db, opts: CommitOptions, work?: (tx: WorkTx) => Promise<T>): Promise<CommitResult & { result?: T }> {
  if (opts.sql !== undefined && work) {
    throw new VsgError('E_USAGE', 'give either SQL or a function that makes the change, not both', { exitCode: ExitCode.usage });
  }
  const done = await db.transaction(async (tx) => {
    const runs = opts.sql !== undefined || work !== undefined;
    const table = await shareNamed(tx, opts.table, !runs);
    await assertWritable(tx, table);
    const parent = opts.parent === undefined ? undefined : (await resolveRef(tx, opts.parent, table)).id;
    assertParent(table, parent, table.headCommit);
    // A statement may change the table's columns too, and so may an ALTER made
    // outside vsg since the columns were last recorded: either makes a SCHEMA commit.
    const now = table.now;
    const recordedBefore = table.signature ?? now;
    const outside = !sameSignature(recordedBefore, now);
    if (outside) assertKeyKept(table, recordedBefore, now, true);
    if (opts.sql !== undefined) await runUserSql(tx, opts.sql);
    const result = work ? await work(tx) : undefined;
    const at: AppendPoint = runs
      ? await lockToAppend(tx, table, work ? "the work function ended vsg's transaction" : "the SQL ended vsg's transaction (COMMIT, ROLLBACK or END in the statement)")
      : { table, recorded: table.signature ?? now, after: now, earlier: false };
    await assertWritable(tx, at.table);
    assertParent(at.table, parent, at.table.headCommit);
    if (at.after.columns.length === 0) {
      throw new VsgError('E_TABLE_GONE', `table '${table.display}' was dropped during the commit`, {
        hint: 'restore it with restore(); untrack with force deletes its history', data: { table: table.display },
      });
    }
    // Other writers' earlier changes to the rows the SQL changed: their own commit first.
    let target = at.table;
    let base = at.recorded;
    let recorded: CommitInfo | null = null;
    let recordedSchema: string[] | undefined;
    if (at.earlier) {
      // They were made in the columns as they were before the SQL: an ALTER
      // made outside vsg (and not recorded since by another commit) goes with them.
      const withSchema = outside && sameSignature(at.recorded, recordedBefore);
      recorded = await createCommit(tx, target, {
        kind: withSchema ? 'SCHEMA' : 'COMMIT',
        takeAll: false,
        take: 'earlier',
        author: opts.author,
        message: defaultMessage(undefined, withSchema),
        meta: withSchema ? { 'vsg.schema': { before: at.recorded.columns, after: now.columns } } : null,
        allowEmpty: withSchema,
        sessionAuthor: true,
        sessionMeta: true,
      }, true);
      if (recorded && withSchema) {
        recordedSchema = await recordSchemaChange(tx, target, recorded.id, at.recorded, now);
        base = now;
      }
      if (recorded) target = { ...target, headCommit: recorded.id };
    }
    const reshaped = !sameSignature(base, at.after);
    if (reshaped) assertKeyKept(table, now, at.after);
    const made = await createCommit(tx, target, {
      kind: reshaped ? 'SCHEMA' : 'COMMIT',
      takeAll: !runs,
      take: 'mine',
      author: opts.author,
      message: opts.message ?? (work ? 'change made by the application' : defaultMessage(opts.sql, outside)),
      statement: opts.sql ?? null,
      // The column lists go into the hashed metadata too, so verify can vouch for vsg.schema_changes.
      meta: reshaped
        ? { ...opts.meta, 'vsg.schema': { before: base.columns, after: at.after.columns } }
        : opts.meta && Object.keys(opts.meta).length
          ? opts.meta
          : null,
      allowEmpty: opts.allowEmpty || reshaped,
      sessionAuthor: !runs && opts.authorIsDefault === true,
      sessionMeta: opts.sql === undefined,
    });
    const schema = reshaped ? await recordSchemaChange(tx, target, made.id, base, at.after) : undefined;
    const out: CommitResult = {
      commit: made,
      branch: table.head,
      table: table.display,
      ...(schema ? { schema } : {}),
      // The branch has moved on from it: no ref names it.
      ...(recorded ? { recorded: { ...recorded, refs: [] }, ...(recordedSchema ? { recordedSchema } : {}) } : {}),
    };
    return work ? { ...out, result } : out;
    // the application's work must not run twice unasked (src/db/db.ts)
  }, { rerun: !work });
  await tidyPending(db, changedRows(done.commit) + changedRows(done.recorded));
  return done;
}

/** Where a commit is appended, read under the branch lock. */
interface AppendPoint {
  /** the table, its branch and HEAD as of the lock */
  table: LockedTable;
  /** the columns last recorded in history (a concurrent SCHEMA commit may have moved them) */
  recorded: Signature;
  /** the table's columns and key now, after the SQL */
  after: Signature;
  /** rows the transaction changed carry earlier uncommitted changes by other writers */
  earlier: boolean;
}

/** Refuse when HEAD is not the commit the writer named. */
function assertParent(table: LockedTable, parent: string | undefined, head: string | null): void {
  if (parent === undefined || parent === head) return;
  throw new ConflictError('E_STALE_PARENT', `'${table.display}' has moved: HEAD is ${shortId(head ?? '')}, not ${shortId(parent)}`, {
    hint: 'read the new HEAD and retry, or commit on a branch and merge',
    data: { head, parent },
  });
}

/**
 * Lock the table's branch to append (sql/commit/append.sql), after the SQL or
 * the work ran in the commit's transaction, and read what the commit is made
 * against; `ended` is the refusal, should what ran have ended vsg's transaction.
 */
async function lockToAppend(tx: Queryable, table: LockedTable, ended: string): Promise<AppendPoint> {
  type Row = Record<'columns' | 'key' | 'xid' | 'signature', string> & { branch_id: string | null; head_commit: string | null } & Record<'merging' | 'earlier', boolean | string>;
  const { rows } = await tx.query<Row>(sql('commit/append'), [table.relid, table.id, table.head]);
  const r = rows[0];
  if (r.xid !== table.xid) {
    throw new VsgError('E_TX_CONTROL', ended, {
      exitCode: ExitCode.sql,
      hint: 'leave transaction control to vsg; status() shows any change that was committed anyway',
    });
  }
  const yes = (v: boolean | string) => v === true || v === 't' || v === 'true';
  const after: Signature = { columns: JSON.parse(r.columns) as Signature['columns'], key: JSON.parse(r.key) as Signature['key'] };
  return {
    table: { ...table, branchId: r.branch_id === null ? null : Number(r.branch_id), headCommit: r.head_commit, merging: yes(r.merging) },
    recorded: r.signature === null ? table.now : (JSON.parse(r.signature) as Signature),
    after,
    earlier: yes(r.earlier),
  };
}

function defaultMessage(statement: string | undefined, outside: boolean): string {
  if (statement === undefined) return outside ? 'record uncommitted changes and a schema change made outside vsg' : 'record uncommitted changes';
  const line = statement.trim().split('\n')[0].replace(/\s+/g, ' ');
  return line.length > 72 ? `${line.slice(0, 69)}...` : line;
}

/** Run the user's statement(s) inside vsg's transaction; a failure keeps PostgreSQL's report. */
export async function runUserSql(tx: Queryable, statement: string): Promise<void> {
  await assertRunsInTransaction(statement);
  try {
    await tx.query(statement);
  } catch (e) {
    throw toSqlError(e, statement);
  }
}
