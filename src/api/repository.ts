/**
 * The public library API: a Repository over a database. The CLI is built on
 * exactly this; each method is one engine call returning plain data.
 */
import type { Db } from '../db/db.js';
import { connectServer } from '../db/db.js';
import { openEmbedded } from '../db/embedded.js';
import { commit, type CommitOptions, type CommitResult } from '../engine/commit.js';
import { diff, type DiffOptions, type DiffResult } from '../engine/diff.js';
import { log, show, type LogOptions, type LogResult, type ShowResult } from '../engine/history.js';
import { init, requireRepository, type InitResult } from '../engine/repository.js';
import { runSql, type SqlResult } from '../engine/sqlrun.js';
import { status, type TableStatus } from '../engine/status.js';
import { listTables, type TrackedTable } from '../engine/tables.js';
import { track, untrack, type TrackResult, type UntrackResult } from '../engine/track.js';

export interface OpenOptions {
  /** a PostgreSQL URL; without it (and without `db`) the embedded database in `dir` */
  url?: string;
  /** directory of the embedded database (default .vsg) */
  dir?: string;
  /** an already open Db (see `fromPg`) */
  db?: Db;
  /** create or upgrade vsg's schema if needed (default: require it to exist) */
  init?: boolean;
  /** open even where vsg's schema is missing (for plain SQL) */
  bare?: boolean;
}

export class Repository {
  constructor(readonly db: Db) {}

  init(): Promise<InitResult> {
    return init(this.db);
  }
  track(table: string, opts: { author: string; message?: string }): Promise<TrackResult> {
    return track(this.db, table, opts);
  }
  untrack(table: string, opts: { force?: boolean } = {}): Promise<UntrackResult> {
    return untrack(this.db, table, opts);
  }
  tables(): Promise<TrackedTable[]> {
    return listTables(this.db);
  }
  commit(opts: CommitOptions): Promise<CommitResult> {
    return commit(this.db, opts);
  }
  log(opts: LogOptions = {}): Promise<LogResult> {
    return log(this.db, opts);
  }
  show(ref: string, opts: { table?: string } = {}): Promise<ShowResult> {
    return show(this.db, ref, opts);
  }
  status(opts: { table?: string } = {}): Promise<TableStatus[]> {
    return status(this.db, opts);
  }
  diff(opts: DiffOptions = {}): Promise<DiffResult> {
    return diff(this.db, opts);
  }
  sql(statement: string): Promise<SqlResult> {
    return runSql(this.db, statement);
  }
  close(): Promise<void> {
    return this.db.close();
  }
}

/** Open a repository on a server (url), an open Db, or the embedded database. */
export async function openRepository(opts: OpenOptions = {}): Promise<Repository> {
  const db = opts.db ?? (opts.url ? await connectServer(opts.url) : await openEmbedded(opts.dir ?? '.vsg'));
  try {
    if (opts.init) await init(db);
    else if (!opts.bare) await requireRepository(db);
  } catch (e) {
    if (!opts.db) await db.close();
    throw e;
  }
  return new Repository(db);
}
