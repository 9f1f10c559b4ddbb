/**
 * Commit: run the user's SQL and record exactly the rows it changed, in the
 * same transaction as the commit row and the branch pointer move. Without SQL,
 * record the uncommitted changes others made since HEAD.
 */
import { assertRunsInTransaction } from '../db/statements.js';
import { sqlTrue as yes, withoutCommit, type Db, type PgLikeClient, type Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { ConflictError, ExitCode, VsgError } from '../errors.js';
import { changedRows } from '../core/commits.js';
import { appendCommit, createCommit, finalOrAgain, type AppendRow, type NewCommit } from '../core/create-commit.js';
import { assertWritable } from '../core/guards.js';
import { tidyPending, wantsTidy } from '../core/pending.js';
import { resolveRef, shortId } from '../core/refs.js';
import { recordRetypedRows } from '../core/retype.js';
import { assertKeyKept, recordSchemaChange } from '../core/schema.js';
import { sameSignature, type Signature } from '../core/signature.js';
import { gather } from '../core/gather.js';
import { toSqlError } from '../core/sql-error.js';
import { recordSpan, spanInfo } from '../core/spans.js';
import { shareAndRun, shareNamed, shareTable, tableIds, type LockedTable } from '../core/tables.js';
import type { CommitInfo } from '../core/types.js';

export interface CommitOptions {
  /** the table; without it (and without `tables`), the only one tracked, or else every table the SQL changes */
  table?: string;
  /** several tables: one commit across those the SQL changed; their other changes (and other tables') stay uncommitted */
  tables?: string[];
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
 * application's own pg client or pool. It has no commitWith: the work is
 * never the transaction's last step (withoutCommit).
 */
export type WorkTx = Omit<Queryable, 'commitWith'> & { client?: PgLikeClient };

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
  /**
   * A commit across tables: each table's part, in table order (`commit` is
   * then the commit across them, `table` and `branch` theirs joined).
   */
  parts?: CommitResult[];
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
  if (opts.sql !== undefined && opts.sql.trim() === '') {
    throw new VsgError('E_USAGE', 'the SQL to commit is empty', { exitCode: ExitCode.usage, hint: 'give a statement, or leave sql out to record uncommitted changes' });
  }
  const names = opts.tables?.length ? [...new Set(opts.tables)] : opts.table !== undefined ? [opts.table] : [];
  // A commit of one table whose SQL ran with its lock, where the commit will
  // end with its commit statement as far as can be told then (goesOn), sends
  // that statement with its COMMIT where the connection can (one round trip
  // fewer); should the commit go on past it after all (another writer moved
  // the branch meanwhile, say), it fails and the transaction rolls back, and
  // the commit is made again without (the SQL runs again: its first run was
  // rolled back).
  const attempt = (final: boolean) => db.transaction(async (tx) => {
    const runs = opts.sql !== undefined || work !== undefined;
    let checked = false;
    // the tables the SQL changed, when it ran in the statement that found no table named (below), and the one it locked
    let changed: number[] | null = null;
    let changedTable: LockedTable | undefined;
    // (where it ran in that statement and changed one table: whether its commit may go on past its statement)
    let lastOfOne = false;
    if (names.length <= 1) {
      // One table named, or the only one tracked; none named while several
      // are tracked is a commit across the tables the SQL changes.
      let table: LockedTable | null;
      let ran = false;
      let goesOn = true;
      if (opts.sql !== undefined && opts.parent === undefined) {
        // Plain statements run in the statement that locks the table (one
        // round trip saved), when nothing checked first would refuse; with
        // no table named, where several are tracked, in the statement that
        // finds that out, which then lists the tables they changed and locks
        // the one they changed (three saved; two where they changed several;
        // not where Citus may hold captured rows on its workers, gathered
        // before the tables are listed).
        const plain = await assertRunsInTransaction(opts.sql);
        checked = true;
        ({ table, ran, goesOn, changed, changedTable } = plain
          ? await shareAndRun(tx, names[0], opts.sql, tx.citus === false).catch((e: unknown) => { throw ranError(e, opts.sql!); })
          : { table: await shareNamed(tx, names[0], !runs, true), ran: false, goesOn: true, changed: null });
        lastOfOne = final && ran && !goesOn && changedTable !== undefined;
      } else {
        table = await shareNamed(tx, names[0], !runs, true);
      }
      if (table) {
        const pre = await prepare(tx, table, opts);
        const result = ran ? undefined : await runWork(tx, opts, work, checked);
        const out = (await record(tx, table, pre, opts, runs, work !== undefined, false, final && ran && !goesOn)) as CommitResult;
        return work ? { ...out, result } : out;
      }
    }
    return commitAcross(tx, names, opts, runs, work, checked, changed, changedTable, lastOfOne);
    // the application's work must not run twice unasked (src/db/db.ts)
  }, { rerun: !work });
  const done = await finalOrAgain(attempt);
  const parts = done.parts ?? [done];
  await tidyPending(db, parts.reduce((n, p) => n + changedRows(p.commit) + changedRows(p.recorded), 0), parts.some((p) => wantsTidy(p.commit, p.recorded)));
  return done;
}

/** What a table's commit is checked against before the SQL runs. */
interface Before {
  /** the commit --parent names, within the table */
  parent?: string;
  /** the table's columns and key when locked */
  now: Signature;
  /** the columns last recorded in history */
  recordedBefore: Signature;
  /** the columns were changed outside vsg since they were last recorded */
  outside: boolean;
}

async function prepare(tx: Queryable, table: LockedTable, opts: CommitOptions, checkParent = true): Promise<Before> {
  await assertWritable(tx, table);
  const parent = opts.parent === undefined || !checkParent ? undefined : (await resolveRef(tx, opts.parent, table)).id;
  assertParent(table, parent, table.headCommit);
  // A statement may change the table's columns too, and so may an ALTER made
  // outside vsg since the columns were last recorded: either makes a SCHEMA commit.
  const now = table.now;
  const recordedBefore = table.signature ?? now;
  const outside = !sameSignature(recordedBefore, now);
  if (outside) assertKeyKept(table, recordedBefore, now, true);
  return { parent, now, recordedBefore, outside };
}

async function runWork<T>(tx: Queryable, opts: CommitOptions, work?: (tx: WorkTx) => Promise<T>, checked = false): Promise<T | undefined> {
  if (opts.sql !== undefined) await runUserSql(tx, opts.sql, checked);
  // (the application's work is not the transaction's last step)
  return work ? work(withoutCommit(tx)) : undefined;
}

/**
 * Record what the transaction changed in one table (after the SQL or the
 * work ran): lock its branch to append, record other writers' earlier
 * changes to the same rows first, then the commit. With `orNone`, a table
 * whose rows net to no change records nothing: null. With `final`, the commit
 * statement takes the transaction's COMMIT with it where it can (NewCommit.final).
 */
async function record(tx: Queryable, table: LockedTable, pre: Before, opts: CommitOptions, runs: boolean, isWork: boolean, orNone = false, final = false): Promise<CommitResult | null> {
  const { parent, now, recordedBefore, outside } = pre;
  const ended = isWork ? "the work function ended vsg's transaction" : "the SQL ended vsg's transaction (COMMIT, ROLLBACK or END in the statement)";
  const specFor = (reshaped: boolean, base: Signature, after: Signature): NewCommit => ({
    kind: reshaped ? 'SCHEMA' : 'COMMIT',
    takeAll: !runs,
    take: 'mine',
    author: opts.author,
    message: opts.message ?? (isWork ? 'change made by the application' : defaultMessage(opts.sql, outside)),
    statement: opts.sql ?? null,
    // The column lists go into the hashed metadata too, so verify can vouch for vsg.schema_changes.
    meta: reshaped
      ? { ...opts.meta, 'vsg.schema': { before: base.columns, after: after.columns } }
      : opts.meta && Object.keys(opts.meta).length
        ? opts.meta
        : null,
    allowEmpty: opts.allowEmpty || reshaped,
    sessionAuthor: !runs && opts.authorIsDefault === true,
    sessionMeta: opts.sql === undefined,
  });
  let at: AppendPoint;
  if (runs && !outside) {
    // The usual case in one round trip: the branch lock and the commit
    // together, the commit made only when the append point is as it was
    // before the SQL (sql/commit/create.sql); else the slow path below from
    // the append point read.
    const tried = await appendCommit(tx, table, { ...specFor(false, now, now), final }, { relid: table.relid, xid: table.xid, signature: now }, orNone);
    if ('made' in tried) {
      if (!tried.made) return null;
      return { commit: tried.made, branch: table.head, table: table.display };
    }
    at = toAppendPoint(table, tried.point, ended);
  } else {
    // (what the SQL or the work wrote on Citus shards first: src/core/gather.ts; appendCommit gathers it itself)
    if (runs) await gather(tx, [table.id]);
    at = runs ? await lockToAppend(tx, table, ended) : { table, recorded: table.signature ?? now, after: now, earlier: false };
  }
  // A column's type changed (by the SQL, or outside vsg since it was last
  // recorded): PostgreSQL rewrote its values without the capture seeing them
  // (core/retype.ts). They join this transaction's changes; after SQL, the
  // append point is read again, so that other writers' earlier changes to
  // those rows are recorded first (a commit without SQL takes every change).
  const retyped = at.after.columns.length > 0 && at.table.headCommit !== null && (await recordRetypedRows(tx, at.table, at.table.headCommit, at.recorded, at.after));
  if (retyped && runs) at = await lockToAppend(tx, table, ended);
  await assertWritable(tx, at.table);
  assertParent(at.table, parent, at.table.headCommit);
  if (at.after.columns.length === 0) {
    throw new VsgError('E_TABLE_GONE', `table '${table.display}' was dropped during the commit`, {
      hint: 'restore it with restore(); untrack() stops versioning it and keeps its history', data: { table: table.display },
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
  const spec = specFor(reshaped, base, at.after);
  const made = orNone && !reshaped ? await createCommit(tx, target, spec, true) : await createCommit(tx, target, spec);
  if (!made) {
    if (recorded) throw new VsgError('E_NOTHING_TO_COMMIT', `nothing to commit in '${table.display}' after recording earlier changes`, { exitCode: ExitCode.no });
    return null;
  }
  const schema = reshaped ? await recordSchemaChange(tx, target, made.id, base, at.after) : undefined;
  return {
    commit: made,
    branch: table.head,
    table: table.display,
    ...(schema ? { schema } : {}),
    // The branch has moved on from it: no ref names it.
    ...(recorded ? { recorded: { ...recorded, refs: [] }, ...(recordedSchema ? { recordedSchema } : {}) } : {}),
  };
}

/**
 * A commit across tables: the tables named (locked before the SQL, as one
 * table is) or, with none named, every tracked table the SQL changed (found
 * and locked after it: locking every tracked table first would make a
 * commit's cost grow with their number). Each table changed gets its part,
 * a commit on its own branch; two or more are named together as one commit
 * (src/core/spans.ts). Without SQL, the tables' uncommitted changes.
 */
async function commitAcross<T>(
  tx: Queryable,
  names: string[],
  opts: CommitOptions,
  runs: boolean,
  work?: (tx: WorkTx) => Promise<T>,
  checked = false,
  changed: number[] | null = null,
  changedTable?: LockedTable,
  lastOfOne = false,
): Promise<CommitResult & { result?: T }> {
  const tables = new Map<number, { table: LockedTable; pre: Before }>();
  const take = async (table: LockedTable) => {
    if (!tables.has(table.id)) tables.set(table.id, { table, pre: await prepare(tx, table, opts, false) });
  };
  for (const name of names) await take(await shareNamed(tx, name, !runs));
  // (`changed`: the SQL ran already, where the commit found no table named)
  const result = changed ? undefined : await runWork(tx, opts, work, checked);
  if (names.length === 0) {
    if (!changed) {
      await gather(tx);
      if (runs) {
        // (the tables the captures listed while the SQL or the work ran: sql/tables/lock_shared.sql started the list)
        // (and those whose columns it changed: a DDL statement changes no row)
        const { rows } = await tx.query<{ changed: string; reshaped: string | null }>(sql('pending/touched_tables'));
        changed = [...new Set([...tableIds(rows[0].changed), ...tableIds(rows[0].reshaped ?? '')])].sort((a, b) => a - b);
      } else {
        const { rows } = await tx.query<{ id: string }>(sql('pending/tables_changed'));
        changed = rows.map((r) => Number(r.id)).sort((a, b) => a - b);
      }
    }
    for (const id of changed) await take(id === changedTable?.id ? changedTable : await shareTable(tx, id, !runs));
  }
  const parts: CommitResult[] = [];
  // (the one table the SQL changed, where its commit statement is the last: with its COMMIT)
  const final = lastOfOne && tables.size === 1;
  for (const { table, pre } of [...tables.values()].sort((a, b) => a.table.id - b.table.id)) {
    const part = await record(tx, table, pre, opts, runs, work !== undefined, true, final);
    if (part) parts.push(part);
  }
  if (opts.parent !== undefined) await assertParentAcross(tx, opts.parent, parts);
  if (parts.length === 0) {
    throw new VsgError('E_NOTHING_TO_COMMIT', `nothing to commit: no row of ${names.length ? names.map((n) => `'${n}'`).join(', ') : 'a tracked table'} changed`, {
      exitCode: ExitCode.no,
      hint: opts.sql !== undefined ? 'the statement was rolled back; name one table (-t) and use allowEmpty to record it anyway' : 'status() shows uncommitted changes',
    });
  }
  const out: CommitResult = parts.length === 1
    ? parts[0]
    : {
        commit: spanInfo(await recordSpan(tx, parts.map((p) => p.commit)), parts.map((p) => p.commit)),
        branch: [...new Set(parts.map((p) => p.branch))].join(', '),
        table: parts.map((p) => p.table).join(', '),
        parts,
      };
  return work ? { ...out, result } : out;
}

/**
 * --parent for a commit across tables, table by table: refused when a table
 * this commit changes has a commit made after the one named (commits to
 * other tables since do not make it stale).
 */
async function assertParentAcross(tx: Queryable, ref: string, parts: CommitResult[]): Promise<void> {
  const at = await resolveRef(tx, ref);
  const named = at.span?.parts ?? [at.id];
  const heads = parts.map((p) => p.commit.parents[0] ?? null).filter((h): h is string => h !== null);
  const { rows } = await tx.query<{ id: string; seq: string }>(sql('commit/seqs'), [[...named, ...heads]]);
  const seq = new Map(rows.map((r) => [r.id, BigInt(r.seq)]));
  const since = named.reduce((m, id) => (seq.get(id)! > m ? seq.get(id)! : m), 0n);
  for (const p of parts) {
    const head = p.commit.parents[0];
    if (head !== undefined && seq.get(head)! > since && !named.includes(head)) {
      throw new ConflictError('E_STALE_PARENT', `'${p.table}' has moved since ${shortId(at.span?.id ?? at.id)}: HEAD is ${shortId(head)}`, {
        hint: 'read the new HEAD and retry, or commit on a branch and merge',
        data: { head, parent: at.span?.id ?? at.id, table: p.table },
      });
    }
  }
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
  const { rows } = await tx.query<AppendRow>(sql('commit/append'), [table.relid, table.id, table.head]);
  return toAppendPoint(table, rows[0], ended);
}

/** The append point from its row (sql/commit/append.sql, or create.sql's when it did not commit). */
function toAppendPoint(table: LockedTable, r: AppendRow, ended: string): AppendPoint {
  if (r.xid !== table.xid) {
    throw new VsgError('E_TX_CONTROL', ended, {
      exitCode: ExitCode.sql,
      hint: 'leave transaction control to vsg; status() shows any change that was committed anyway',
    });
  }
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

/**
 * Run the user's statement(s) inside vsg's transaction; a failure keeps
 * PostgreSQL's report. `checked`: assertRunsInTransaction already passed.
 */
export async function runUserSql(tx: Queryable, statement: string, checked = false): Promise<void> {
  if (!checked) await assertRunsInTransaction(statement);
  try {
    await tx.query(statement);
  } catch (e) {
    throw toSqlError(e, statement);
  }
}

/**
 * An error of the statement that ran the user's SQL inside vsg.run_statement
 * (shareAndRun): when the SQL's own, PostgreSQL's report as if the SQL had run
 * on its own (its position is the internal position into the SQL); else as it is.
 */
function ranError(e: unknown, statement: string): unknown {
  const err = e as { where?: string; position?: string; internalPosition?: string; internalQuery?: string } | null;
  if (!err || typeof err !== 'object' || !/\bPL\/pgSQL function vsg\.run_statement\(text,integer\) line \d+ at EXECUTE\s*$/.test(String(err.where ?? ''))) return e;
  if (err.internalQuery === statement && err.internalPosition !== undefined) {
    err.position = err.internalPosition;
    delete err.internalPosition;
    delete err.internalQuery;
  }
  return toSqlError(err, statement);
}
