/**
 * Appending a commit to a table's branch: the commit row is made from the
 * captured changes inside PostgreSQL (sql/commit/create.sql), and the branch
 * moves by compare-and-swap in the same statement, in the caller's transaction. Every operation
 * that records something (commit, track, checkout, rollback, merge) goes
 * through here, and nothing here writes rows back: recording a commit loads
 * no write-back code.
 */
import type { Queryable } from '../db/db.js';
import { sql } from '../db/sql.js';
import { ConflictError, ExitCode, VsgError } from '../errors.js';
import { CHECKPOINT_MIN_ROWS, maybeCheckpoint, packedRoot } from './checkpoint.js';
import { gather } from './gather.js';
import { toCommitInfo, type CommitRow } from './commits.js';
import { noteUntidy } from './pending.js';
import { shortId } from './refs.js';
import { rootCommit } from './sql/rows.js';
import type { TrackedTable } from './tables.js';
import type { CommitInfo } from './types.js';

/** What createCommit records. */
export interface NewCommit {
  kind: 'ROOT' | 'COMMIT' | 'CHECKOUT' | 'ROLLBACK' | 'MERGE' | 'SCHEMA' | 'UNTRACK';
  /** take every uncommitted change of the table, not only this transaction's */
  takeAll: boolean;
  /**
   * Without takeAll, which changes: this transaction's and the earlier
   * uncommitted ones to the same keys together ('keys', the default), this
   * transaction's alone ('mine'), or only those earlier ones ('earlier'):
   * a commit with SQL records them first, as their writers' own commit.
   */
  take?: 'keys' | 'mine' | 'earlier';
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
   * takes no change rows (src/core/reload.ts wrote the table).
   */
  source?: string;
  /**
   * The commit statement is the transaction's last: it goes with the
   * transaction's COMMIT (Queryable.commitWith, where the connection has it)
   * and fails (SQLSTATE VD001, isCommitGoingOn) instead of returning whenever
   * the transaction would go on after it (vsg.final_commit: nothing made, the
   * branch moved, a commit of SQL whose append point was not as assumed, or so
   * many rows that a checkpoint may follow); it rolled back then, and the
   * caller makes the commit again without this (finalOrAgain). Not for a
   * state commit (`source`), whose statement never takes the COMMIT.
   */
  final?: boolean;
}

/**
 * What a commit of SQL assumes of its append point (sql/commit/append.sql),
 * for appendCommit to check while it locks the branch.
 */
export interface AppendGate {
  /** the table's OID */
  relid: string;
  /** the transaction's id when the table was locked */
  xid: string;
  /** the columns and key recorded, and live before the SQL ran (the same) */
  signature: unknown;
}

/** Whether `e` is vsg.final_commit's: a commit statement sent with its COMMIT did not make the whole commit. */
export function isCommitGoingOn(e: unknown): boolean {
  return (e as { code?: string } | null)?.code === 'VD001';
}

/**
 * Run `attempt`, an operation's transaction, with `final` true: it may send
 * its commit statement with the transaction's COMMIT (NewCommit.final).
 * Where that statement found that the transaction goes on after it
 * (isCommitGoingOn), the transaction rolled back: run it again with `final`
 * false.
 */
export async function finalOrAgain<T>(attempt: (final: boolean) => Promise<T>): Promise<T> {
  return attempt(true).catch((e: unknown) => {
    if (!isCommitGoingOn(e)) throw e;
    return attempt(false);
  });
}

/** The append point as sql/commit/append.sql (and a gated sql/commit/create.sql) returns it. */
export type AppendRow = Record<'columns' | 'key' | 'xid' | 'signature', string> & { branch_id: string | null; head_commit: string | null } & Record<'merging' | 'earlier', boolean | string>;

/**
 * Create a commit on the table's current branch from the captured changes and
 * move the branch, compare-and-swap: if the branch moved meanwhile, fail. One
 * statement (a checkpoint, after a large commit, takes a few more).
 */
export async function createCommit(tx: Queryable, table: TrackedTable, c: NewCommit): Promise<CommitInfo>;
/** With `orNone`, nothing to commit is no error: null. */
export async function createCommit(tx: Queryable, table: TrackedTable, c: NewCommit, orNone: true): Promise<CommitInfo | null>;
export async function createCommit(tx: Queryable, table: TrackedTable, c: NewCommit, orNone = false): Promise<CommitInfo | null> {
  const r = await insertCommit(tx, table, c, orNone);
  return r.made as CommitInfo | null;
}

/**
 * A commit of SQL, in one round trip with its branch lock (issue 13): lock
 * the branch as sql/commit/append.sql does and, when the append point is what
 * `gate` assumed (HEAD still the table's, no schema change, no merge, no
 * earlier changes by other writers, the transaction still the same), create
 * the commit as createCommit does (`made`, null for nothing to commit with
 * `orNone`). Otherwise nothing is changed and `point` is the append point,
 * the branch locked, for the caller to go on from.
 */
export async function appendCommit(tx: Queryable, table: TrackedTable, c: NewCommit, gate: AppendGate, orNone: boolean): Promise<{ made: CommitInfo | null } | { point: AppendRow }> {
  return insertCommit(tx, table, c, orNone, gate);
}

/**
 * The ROOT commit of a table being tracked, made straight from its live rows
 * (`columnNames`: every live column, in attnum order) in one statement
 * (sql/commit/root.sql): what createCommit records for a ROOT that takes the
 * same rows staged as inserts, without staging them. Only for a table that
 * can have no pending changes: one that track has just locked against
 * writers and given its capture triggers. Not for a table of a Citus
 * database, whose rows createCommit gathers from the shards. No branch
 * moves (track creates 'main' on the root); a checkpoint follows. A table of
 * 1,000 rows or more gets a root that is itself a checkpoint (packedRoot).
 */
export async function createRoot(tx: Queryable, table: TrackedTable, columnNames: readonly string[], c: Pick<NewCommit, 'author' | 'message'>): Promise<CommitInfo> {
  assertAuthor(table, c.author);
  const packed = await packedRoot(tx, table, c);
  if (packed) return packed;
  const { rows } = await tx.query<CommitRow>(rootCommit(table, columnNames), [table.id, c.author, c.message]);
  const made = toCommitInfo(rows[0], table.display);
  await maybeCheckpoint(tx, table, made);
  return made;
}

/** Every commit records who made it: a library caller that left it out gets a usage error, not a NOT NULL one. */
function assertAuthor(table: TrackedTable, author: unknown): void {
  if (typeof author !== 'string' || author.trim() === '') {
    throw new VsgError('E_USAGE', `a commit needs an author (${table.display})`, { exitCode: ExitCode.usage, hint: "pass { author: 'name' } to the call" });
  }
}

async function insertCommit(tx: Queryable, table: TrackedTable, c: NewCommit, orNone: boolean): Promise<{ made: CommitInfo | null }>;
async function insertCommit(tx: Queryable, table: TrackedTable, c: NewCommit, orNone: boolean, gate: AppendGate): Promise<{ made: CommitInfo | null } | { point: AppendRow }>;
async function insertCommit(tx: Queryable, table: TrackedTable, c: NewCommit, orNone: boolean, gate?: AppendGate): Promise<{ made: CommitInfo | null } | { point: AppendRow }> {
  // the rows captured on Citus shards, this transaction's among them (src/core/citus.ts)
  await gather(tx, [table.id]);
  assertAuthor(table, c.author);
  const parent = c.kind === 'ROOT' ? null : table.headCommit;
  // commits_linear (branch_id, parent) is unique: a writer that raced past the
  // branch lock fails here rather than forking history; that is a retryable conflict.
  const meta = c.meta ? JSON.stringify(c.meta) : null;
  type Made = CommitRow & { moved: boolean | string } & Partial<AppendRow> & { go?: boolean | string | null };
  const final = c.final === true && !c.source && tx.commitWith !== undefined;
  const insert = c.source
    ? tx.query<Made>(sql('commit/state'), [table.id, parent, table.branchId, c.source, c.author, c.message, meta])
    : (final ? tx.commitWith!.bind(tx) : tx.query.bind(tx))<Made>(sql('commit/create'), [
        table.id,
        c.takeAll ? 'all' : (c.take ?? 'keys'),
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
        gate?.relid ?? null,
        gate ? table.head : null,
        gate?.xid ?? null,
        gate ? JSON.stringify(gate.signature) : null,
        // (a commit of this many rows or more may make a checkpoint after its statement: maybeCheckpoint)
        final ? CHECKPOINT_MIN_ROWS : null,
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
  if (gate && !(rows[0].go === true || rows[0].go === 't')) return { point: rows[0] as AppendRow };
  if (!rows[0]?.id) {
    if (orNone) return { made: null };
    throw new VsgError('E_NOTHING_TO_COMMIT', `nothing to commit: no row of '${table.display}' changed`, {
      exitCode: ExitCode.no,
      hint: c.statement ? 'the statement was rolled back; use allowEmpty to record it anyway' : 'status() shows uncommitted changes',
    });
  }
  const row = rows[0];
  if (c.kind !== 'ROOT') {
    if (!(row.moved === true || row.moved === 't')) {
      throw new ConflictError('E_STALE_PARENT', `branch '${table.head}' of '${table.display}' moved during the commit`, {
        hint: 'retry the command',
      });
    }
  }
  const made = toCommitInfo(row, table.display);
  noteUntidy(made, (row as { tidy?: boolean | string | null }).tidy);
  await maybeCheckpoint(tx, table, made);
  return { made };
}
