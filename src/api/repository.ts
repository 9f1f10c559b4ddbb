/**
 * The public library API: a Repository over a database. The CLI is built on
 * exactly this; each method is one operation (src/ops) returning plain data.
 * Each operation's module is loaded when it is first called: a command that
 * runs one operation loads only that one (start-up is most of a short command).
 */
import type { Db, Interrupted, PgLikeClient } from '../db/db.js';
import { connectServer, withoutCommit } from '../db/db.js';
import { sql } from '../db/sql.js';
import { openEmbedded } from '../db/embedded.js';
import { fromPg, type PgLikePool } from '../db/external.js';
import { ExitCode, VsgError } from '../errors.js';
import type { RefInfo, RefsByName } from '../core/ref-store.js';
import { init, requireRepository, type InitResult } from '../core/repository.js';
import { listTables, type TrackedTable } from '../core/tables.js';
import type { VerifyOptions, VerifyResult } from '../core/verify.js';
import type { ConflictList } from '../core/merge-state.js';
import type { BlameResult, RowLogResult } from '../ops/blame.js';
import type { BranchesByName, BranchList, CreatedBranch, DeletedBranch } from '../ops/branch.js';
import type { CheckoutManyOptions, CheckoutManyResult, CheckoutOptions, CheckoutResult } from '../ops/checkout.js';
import type { CommitOptions, CommitResult, WorkTx } from '../ops/commit.js';
import type { DiffManyOptions, DiffManyResult, DiffOptions, DiffResult } from '../ops/diff.js';
import type { DoctorResult } from '../ops/doctor.js';
import type { ExportOptions, ExportTablesOptions, ExportResult, ExportSink, RowsAtResult } from '../ops/export.js';
import type { ForgetEntry, ForgetOptions, ForgetResult } from '../ops/forget.js';
import type { PruneEntry, PruneOptions, PruneResult } from '../ops/prune.js';
import type { LogOptions, LogResult } from '../ops/log.js';
import type { ContinueOptions, MergeOptions, MergeResult } from '../ops/merge.js';
import type { ResolveOptions } from '../ops/resolve.js';
import type { RestoreManyOptions, RestoreManyResult, RestoreOptions, RestoreResult } from '../ops/restore.js';
import type { RollbackOptions, RollbackResult } from '../ops/rollback.js';
import type { ShowResult } from '../ops/show.js';
import type { SqlResult } from '../ops/sql.js';
import type { StatusOptions, TableStatus } from '../ops/status.js';
import type { SwitchManyOptions, SwitchManyResult, SwitchOptions, SwitchResult } from '../ops/switch.js';
import type { TagResult, TagsResult } from '../ops/tag.js';
import type { TrackManyResult, TrackResult, UntrackOptions, UntrackResult } from '../ops/track.js';

export interface OpenOptions {
  /** a PostgreSQL URL; without it (and without `db`) the embedded database in `dir` */
  url?: string;
  /** directory of the embedded database (default .vsg) */
  dir?: string;
  /** an already open Db (see `fromPg`) */
  db?: Db;
  /**
   * the application's own node-postgres Pool, Client or PoolClient: vsg uses
   * it without changing its session, and on a client inside a transaction,
   * vsg's work joins that transaction (as a savepoint). vsg never closes it.
   */
  client?: PgLikeClient | PgLikePool;
  /** create or upgrade vsg's schema if needed (default: require it to exist); creates the embedded database if missing */
  init?: boolean;
  /** create the embedded database in `dir` if missing (implied by init; default: refuse with E_NO_REPO) */
  create?: boolean;
  /** open even where vsg's schema is missing (for plain SQL) */
  bare?: boolean;
  /**
   * prepare vsg's own statements on the connection it opens (default: on, unless
   * VSG_PREPARED_STATEMENTS=off): off behind a pooler that does not keep them
   * across transactions. Never done on an application's `client` or `db`.
   */
  preparedStatements?: boolean;
}

export class Repository {
  constructor(readonly db: Db) {}

  /**
   * Refuse a write on a hot standby before anything is sent: every write
   * operation calls this first. A read-only transaction that vsg could not see
   * coming (an application's connection) fails on its first write with
   * PostgreSQL's 25006, which the CLI reports as E_READ_ONLY too.
   */
  private async writable(operation: string): Promise<void> {
    if (this.db.server?.standby) throw standbyRefusal(operation, this.db.where);
  }

  init(): Promise<InitResult> {
    return this.writable('init').then(() => init(this.db));
  }
  /** Track a table; `force` tracks one that a logical-replication subscription writes into (E_SUBSCRIBED otherwise). */
  track(table: string, opts: { author: string; message?: string; force?: boolean }): Promise<TrackResult> {
    return this.writable('track').then(() => needAuthor('track', opts)).then(() => import('../ops/track.js').then((m) => m.track(this.db, table, opts)));
  }
  /** Track several tables (and with `schema`, every table of it that has a primary key) in one transaction: all or none. */
  trackTables(tables: string[], opts: { author: string; message?: string; schema?: string; force?: boolean }): Promise<TrackManyResult> {
    return this.writable('trackTables').then(() => needAuthor('trackTables', opts)).then(() => import('../ops/track.js').then((m) => m.trackTables(this.db, tables, opts)));
  }
  /**
   * Stop versioning tables in one UNTRACK commit (across them when several):
   * their history stays, readable by name, and verifies. With `force`, their
   * histories are deleted instead.
   */
  untrack(tables: string | string[], opts: UntrackOptions = {}): Promise<UntrackResult> {
    return this.writable('untrack').then(() => import('../ops/track.js').then((m) => m.untrack(this.db, tables, opts)));
  }
  /** The tracked tables with their commit counts; with `all`, the untracked histories too (untrackedAt set), after them. */
  tables(opts: { all?: boolean } = {}): Promise<TrackedTable[]> {
    return listTables(this.db, true, opts.all ?? false);
  }
  /**
   * Commit SQL, or the table's uncommitted changes; or, with `work`, the
   * changes the application's own code makes inside the commit's transaction
   * (`tx.client` is the connection, for a driver or ORM), and only those.
   */
  commit(opts: CommitOptions): Promise<CommitResult>;
  commit<T>(opts: Omit<CommitOptions, 'sql'>, work: (tx: WorkTx) => Promise<T>): Promise<CommitResult & { result: T }>;
  commit<T>(opts: CommitOptions, work?: (tx: WorkTx) => Promise<T>): Promise<CommitResult & { result?: T }> {
    return this.writable('commit').then(() => needAuthor('commit', opts)).then(() => import('../ops/commit.js').then((m) => m.commit(this.db, opts, work)));
  }
  log(opts: LogOptions = {}): Promise<LogResult> {
    return import('../ops/log.js').then((m) => m.log(this.db, opts));
  }
  show(ref: string, opts: { table?: string } = {}): Promise<ShowResult> {
    return import('../ops/show.js').then((m) => m.show(this.db, ref, opts));
  }
  status(opts: StatusOptions = {}): Promise<TableStatus[]> {
    return import('../ops/status.js').then((m) => m.status(this.db, opts));
  }
  diff(opts: DiffOptions = {}): Promise<DiffResult> {
    return import('../ops/diff.js').then((m) => m.diff(this.db, opts));
  }

  /** Diff several tables (default: every tracked table), keyed by table. */
  diffMany(opts: DiffManyOptions = {}): Promise<DiffManyResult> {
    return import('../ops/diff.js').then((m) => m.diffMany(this.db, opts));
  }
  sql(statement: string): Promise<SqlResult> {
    return import('../ops/sql.js').then((m) => m.runSql(this.db, statement));
  }
  /** Recompute every hash, link and ref; `ok` false names the first bad commit. */
  verify(opts: VerifyOptions = {}): Promise<VerifyResult> {
    return import('../ops/verify.js').then((m) => m.verify(this.db, opts));
  }
  /** Health checks: connection, server, schema, triggers, drift, chain. */
  doctor(): Promise<DoctorResult> {
    return import('../ops/doctor.js').then((m) => m.doctor(this.db));
  }
  /** Put the table back to a commit's rows as a new CHECKOUT commit on top of HEAD. */
  checkout(opts: CheckoutOptions): Promise<CheckoutResult> {
    return this.writable('checkout').then(() => import('../ops/checkout.js').then((m) => m.checkout(this.db, opts)));
  }
  /**
   * Check several tables (default: every tracked table) out, each to its own
   * `ref` (HEAD~N, or a branch or tag name each has), in one transaction and in
   * the order their foreign keys accept; a CHECKOUT commit for each table that
   * changed. Keyed by table.
   */
  checkoutMany(opts: CheckoutManyOptions): Promise<CheckoutManyResult> {
    return this.writable('checkoutMany').then(() => import('../ops/checkout.js').then((m) => m.checkoutMany(this.db, opts)));
  }
  /** Put the table to a commit's rows (default HEAD) without committing. */
  restore(opts: RestoreOptions = {}): Promise<RestoreResult> {
    return this.writable('restore').then(() => import('../ops/restore.js').then((m) => m.restore(this.db, opts)));
  }
  /**
   * Put several tables (default: every tracked table) to their rows at HEAD,
   * or at their own branch or tag `ref`, without committing: one transaction,
   * in the order their foreign keys accept. Keyed by table.
   */
  restoreMany(opts: RestoreManyOptions = {}): Promise<RestoreManyResult> {
    return this.writable('restoreMany').then(() => import('../ops/restore.js').then((m) => m.restoreMany(this.db, opts)));
  }
  /**
   * Forget rows (their keys, or those a `where` predicate is true of, live or
   * in history), or only some of their columns, in every commit on every
   * branch: values and salts go, row hashes stay, commit ids do not change,
   * and a FORGET entry records who, when, why and how many (docs/forget.md).
   * With `live`, the live rows are deleted (or the columns set to NULL) as a
   * commit in the same transaction. vsg.changes is vacuumed afterwards.
   */
  forget(opts: ForgetOptions): Promise<ForgetResult> {
    return import('../ops/forget.js').then((m) => m.forget(this.db, opts));
  }
  /** The FORGET entries of a table (default: every table), oldest first. */
  forgets(opts: { table?: string } = {}): Promise<ForgetEntry[]> {
    return import('../ops/log.js').then((m) => m.forgetLog(this.db, opts));
  }
  /**
   * Drop the change rows of the commits older than a point (a commit or a
   * date) on every branch of every tracked table, keeping per table a base of
   * the state at the point (row hashes, forgettable) and a compact header of
   * each pruned commit; a PRUNE entry records it and verify checks it.
   * Reading pruned history answers E_PRUNED (exit 7). docs/prune.md.
   */
  prune(opts: PruneOptions): Promise<PruneResult> {
    return this.writable('prune').then(() => import('../ops/prune.js').then((m) => m.prune(this.db, opts)));
  }
  /** The PRUNE entries, oldest first. */
  prunes(): Promise<PruneEntry[]> {
    return import('../ops/log.js').then((m) => m.pruneLog(this.db));
  }
  /** Undo one commit's change set (default HEAD) as a new ROLLBACK commit, like git revert. */
  rollback(opts: RollbackOptions): Promise<RollbackResult> {
    return this.writable('rollback').then(() => import('../ops/rollback.js').then((m) => m.rollback(this.db, opts)));
  }
  /** Stream a table's rows as of a commit, in key order, without touching the table. */
  exportRows(opts: ExportOptions, sink: ExportSink): Promise<ExportResult> {
    return import('../ops/export.js').then((m) => m.exportRows(this.db, opts, sink));
  }
  /**
   * Several tables' rows (default every tracked table) as of one commit of
   * the repository, from one REPEATABLE READ snapshot, table after table.
   */
  exportTables(opts: ExportTablesOptions, sink: ExportSink): Promise<ExportResult[]> {
    return import('../ops/export.js').then((m) => m.exportTables(this.db, opts, sink));
  }
  /** A table's rows as of a commit, collected in memory. */
  rowsAt(opts: ExportOptions = {}): Promise<RowsAtResult> {
    return import('../ops/export.js').then((m) => m.rowsAt(this.db, opts));
  }
  /** Per row (or one row) and column, the commit that last set the current value. */
  blame(opts: { table?: string; key?: string } = {}): Promise<BlameResult> {
    return import('../ops/blame.js').then((m) => m.blame(this.db, opts));
  }
  /** The commits reachable from HEAD (or `from`) that changed one row, with its value after each. */
  rowLog(opts: { table?: string; key: string; from?: string }): Promise<RowLogResult> {
    return import('../ops/blame.js').then((m) => m.rowLog(this.db, opts));
  }
  /** Branches of a table, the current one marked. */
  branches(opts: { table?: string } = {}): Promise<BranchList> {
    return import('../ops/branch.js').then((m) => m.listBranches(this.db, opts));
  }
  /** Create a branch at `start` (default HEAD). */
  createBranch(opts: { table?: string; name: string; start?: string }): Promise<CreatedBranch> {
    return this.writable('createBranch').then(() => import('../ops/branch.js').then((m) => m.createBranch(this.db, opts)));
  }
  /** Delete a branch; refuses the current one, and an unmerged one unless `force`. */
  deleteBranch(opts: { table?: string; name: string; force?: boolean }): Promise<DeletedBranch> {
    return this.writable('deleteBranch').then(() => import('../ops/branch.js').then((m) => m.deleteBranch(this.db, opts)));
  }
  /** Whether `name` is a branch of the table. */
  isBranch(name: string, opts: { table?: string } = {}): Promise<boolean> {
    return import('../ops/branch.js').then((m) => m.isBranch(this.db, name, opts));
  }
  /** Make the live table follow another branch and hold its rows. */
  switch(opts: SwitchOptions): Promise<SwitchResult> {
    return this.writable('switch').then(() => import('../ops/switch.js').then((m) => m.switchBranch(this.db, opts)));
  }
  /**
   * Make several tables (default: every tracked table) follow their branch
   * `branch` and hold its rows, in one transaction and foreign-key order. Keyed by table.
   */
  switchMany(opts: SwitchManyOptions): Promise<SwitchManyResult> {
    return this.writable('switchMany').then(() => import('../ops/switch.js').then((m) => m.switchMany(this.db, opts)));
  }
  /** Branches of several tables (default: every tracked table), one entry per name with the tables having it. */
  branchesByName(opts: { tables?: string[] } = {}): Promise<BranchesByName> {
    return import('../ops/branch.js').then((m) => m.branchesByName(this.db, opts));
  }
  /** Whether every table named (default: every tracked table) has a branch `name`. */
  isBranchOfEach(name: string, opts: { tables?: string[] } = {}): Promise<boolean> {
    return import('../ops/branch.js').then((m) => m.isBranchOfEach(this.db, name, opts));
  }
  /** Create branch `name` in several tables (default: every tracked table), each at its own `start` (default HEAD): all or none. Keyed by table. */
  createBranches(opts: { tables?: string[]; name: string; start?: string }): Promise<Record<string, CreatedBranch>> {
    return this.writable('createBranches').then(() => import('../ops/branch.js').then((m) => m.createBranches(this.db, opts)));
  }
  /** Delete branch `name` from every table having it (of those named): all or none. Keyed by table. */
  deleteBranches(opts: { tables?: string[]; name: string; force?: boolean }): Promise<Record<string, DeletedBranch>> {
    return this.writable('deleteBranches').then(() => import('../ops/branch.js').then((m) => m.deleteBranches(this.db, opts)));
  }
  /** Tags of several tables (default: every tracked table), one entry per name with the tables having it. */
  tagsByName(opts: { tables?: string[] } = {}): Promise<RefsByName> {
    return import('../ops/tag.js').then((m) => m.tagsByName(this.db, opts));
  }
  /** Tag several tables (default: every tracked table) `name`, each at its own `commit` (default HEAD): all or none. Keyed by table. */
  createTags(opts: { tables?: string[]; name: string; commit?: string }): Promise<TagsResult> {
    return this.writable('createTags').then(() => import('../ops/tag.js').then((m) => m.createTags(this.db, opts)));
  }
  /** Delete tag `name` from every table having it (of those named). Keyed by table. */
  deleteTags(opts: { tables?: string[]; name: string }): Promise<TagsResult> {
    return this.writable('deleteTags').then(() => import('../ops/tag.js').then((m) => m.deleteTags(this.db, opts)));
  }
  tags(opts: { table?: string } = {}): Promise<RefInfo[]> {
    return import('../ops/tag.js').then((m) => m.listTags(this.db, opts));
  }
  createTag(opts: { table?: string; name: string; commit?: string }): Promise<TagResult> {
    return this.writable('createTag').then(() => import('../ops/tag.js').then((m) => m.createTag(this.db, opts)));
  }
  deleteTag(opts: { table?: string; name: string }): Promise<TagResult> {
    return this.writable('deleteTag').then(() => import('../ops/tag.js').then((m) => m.deleteTag(this.db, opts)));
  }
  /** Three-way merge into the current branch; throws MergeConflictError (E_MERGE_CONFLICT) on conflicts. */
  merge(opts: MergeOptions): Promise<MergeResult> {
    return this.writable('merge').then(() => import('../ops/merge.js').then((m) => m.merge(this.db, opts)));
  }
  /**
   * Finish an in-progress merge once every conflict is resolved. Without a table while
   * several are tracked: the one merge in progress, a merge across tables as one MERGE
   * commit across them (a table of it named: E_MERGE_ACROSS).
   */
  mergeContinue(opts: ContinueOptions = {}): Promise<MergeResult> {
    return this.writable('mergeContinue').then(() => import('../ops/merge.js').then((m) => m.continueMerge(this.db, opts)));
  }
  /** Forget an in-progress merge (a merge across tables: all of it; `tables` lists them). */
  mergeAbort(opts: { table?: string } = {}): Promise<{ table: string; theirsRef: string; conflicts: number; tables?: string[] }> {
    return this.writable('mergeAbort').then(() => import('../ops/merge.js').then((m) => m.abortMerge(this.db, opts)));
  }
  /** The in-progress merge and its conflicts; without a table while several are tracked, every table's (`tables`). */
  conflicts(opts: { table?: string } = {}): Promise<ConflictList> {
    return import('../ops/conflicts.js').then((m) => m.listConflicts(this.db, opts));
  }
  /** Resolve conflicts of the in-progress merge; without a table while several are tracked, in the table whose merge has the key conflicted (E_TABLE_REQUIRED when several have it). */
  resolve(opts: ResolveOptions): Promise<ConflictList & { changed: number }> {
    return this.writable('resolve').then(() => import('../ops/resolve.js').then((m) => m.resolveConflicts(this.db, opts)));
  }
  /**
   * Run several operations as one transaction: `fn` gets a Repository bound to
   * it (and the transaction itself); everything commits together or not at all.
   * On a repository opened with the application's client, this transaction is
   * itself inside the application's, when one is open.
   */
  transaction<T>(fn: (repo: Repository, tx: WorkTx) => Promise<T>): Promise<T> {
    return this.db.transaction((whole) => {
      // (each operation joins this transaction: none of them ends it)
      const tx = withoutCommit(whole);
      const bound: Db = {
        kind: this.db.kind,
        where: this.db.where,
        ...(this.db.server ? { server: this.db.server } : {}),
        query: (text, params) => tx.query(text, params),
        // An operation refused here leaves the transaction going on: the
        // tables it asked to have staged for it are no longer (vsg.stage,
        // vsg.touched: a commit's SQL or work), so that the application's own
        // writes after it go to vsg.pending as any others. (Where the refusal
        // was an error of the server's, the transaction is aborted and this
        // fails too: nothing to put back.)
        transaction: (inner) =>
          inner(tx).catch(async (e: unknown) => {
            await tx.query(sql('session/unstage')).catch(() => undefined);
            throw e;
          }),
        close: async () => undefined,
      };
      return fn(new Repository(bound), tx as WorkTx);
    }, { rerun: false });
  }
  close(): Promise<void> {
    return this.db.close();
  }

  /**
   * Stop the operation in progress (for a SIGINT handler): a statement
   * running on the server is cancelled, and the operation then fails with
   * E_INTERRUPTED once its transaction is rolled back. PGlite runs in this
   * process and cannot be stopped inside a statement: the statement ends,
   * then the transaction rolls back. Says what was going on.
   */
  interrupt(): Interrupted {
    return this.db.interrupt?.() ?? { busy: false, inTransaction: false };
  }
}

/** Open a repository on a server (url), an open Db, or the embedded database. */
export async function openRepository(opts: OpenOptions = {}): Promise<Repository> {
  const external = opts.db ?? (opts.client ? fromPg(opts.client) : undefined);
  const { preparedStatements } = opts;
  const db =
    external ??
    (opts.url ? await connectServer(opts.url, { preparedStatements }) : await openEmbedded(opts.dir ?? '.vsg', { create: opts.create || opts.init, preparedStatements }));
  try {
    if (opts.init && db.server?.standby) throw standbyRefusal('init', db.where);
    if (opts.init) await init(db);
    else if (!opts.bare) await requireRepository(db);
  } catch (e) {
    if (!external) await db.close();
    throw e;
  }
  return new Repository(db);
}

/** The refusal of a write on a hot standby: one line naming it. */
export function standbyRefusal(operation: string, where: string): VsgError {
  return new VsgError('E_READ_ONLY', `'${where}' is a hot standby (pg_is_in_recovery() is true): vsg writes only on the primary`, {
    hint: 'point the write at the primary server; log, show, diff, blame, export, status, verify and doctor work on the standby',
    data: { operation, standby: true },
  });
}

/**
 * A call that makes a commit records who made it: without `author` (a
 * JavaScript caller, or a missing options object) it is refused before
 * anything is done, E_USAGE, as the TypeScript type says.
 */
function needAuthor(operation: string, opts: { author?: unknown } | undefined): void {
  if (typeof opts?.author === 'string' && opts.author.trim() !== '') return;
  throw new VsgError('E_USAGE', `${operation} needs an author: who makes the commit`, {
    exitCode: ExitCode.usage,
    hint: `pass it in the options, e.g. ${operation}(…, { author: 'alice' })`,
    data: { operation },
  });
}
