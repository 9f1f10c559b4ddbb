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
import { sameSignature, signature, type Signature } from '../core/signature.js';
import { toSqlError } from '../core/sql-error.js';
import { lockNamed, type LockedTable } from '../core/tables.js';
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
}

/**
 * Commit SQL (or the uncommitted changes) to a table's current branch. With
 * `work`, the application's own code makes the change inside the commit's
 * transaction (instead of SQL) and what it returns is passed back as `result`.
 */
export async function commit<T = undefined>(db: Db, opts: CommitOptions, work?: (tx: WorkTx) => Promise<T>): Promise<CommitResult & { result?: T }> {
  const done = await db.transaction(async (tx) => {
    const table = await lockNamed(tx, opts.table);
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
    const now = table.now;
    const shapeBefore = table.signature ?? now;
    const outside = !sameSignature(shapeBefore, now);
    const afterSql = opts.sql !== undefined ? await runUserSql(tx, opts.sql, table) : null;
    const result = work ? await work(tx) : undefined;
    const shapeAfter = afterSql ?? (work ? await signature(tx, table.relid) : now);
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

/**
 * Run the user's statement(s) inside vsg's transaction, locked by `table`; a
 * failure keeps PostgreSQL's report. Returns the table's shape afterwards,
 * read by the statement that also checks that the transaction is still vsg's.
 */
export async function runUserSql(tx: Queryable, statement: string, table: Pick<LockedTable, 'relid' | 'xid'>): Promise<Signature> {
  await assertRunsInTransaction(statement);
  try {
    await tx.query(statement);
  } catch (e) {
    throw toSqlError(e, statement);
  }
  const { rows } = await tx.query<{ columns: string; key: string; xid: string }>(sql('commit/after'), [table.relid]);
  if (rows[0].xid !== table.xid) {
    throw new VsgError('E_TX_CONTROL', 'the SQL ended vsg\'s transaction (COMMIT, ROLLBACK or END in the statement)', {
      exitCode: ExitCode.sql,
      hint: 'leave transaction control to vsg; status() shows any change that was committed anyway',
    });
  }
  return { columns: JSON.parse(rows[0].columns) as Signature['columns'], key: JSON.parse(rows[0].key) as Signature['key'] };
}
