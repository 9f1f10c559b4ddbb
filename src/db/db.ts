/**
 * The database seam. vsg needs only this narrow interface; both the real
 * server and the embedded PGlite are reached through node-postgres, so one
 * code path serves both. Every value arrives as PostgreSQL's own text form
 * (no JS parsing), which is what keeps int8, numeric and timestamptz exact.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import { VsgError, ExitCode, fromPrunedSql } from '../errors.js';
import { keepSecret, maskConnection, parseConnection, scrubSecrets } from './connection.js';
import { preparedStatementsWanted, statementNames } from './prepared.js';
import { sql } from './sql.js';

export type Row = Record<string, string | null>;

export interface Result<R = Row> {
  rows: R[];
  rowCount: number;
  fields: { name: string; dataTypeID: number }[];
  command: string;
  /** the server's whole command tag ('INSERT 0 2', 'CREATE TABLE'), where known (script) */
  tag?: string;
}

/** Anything that runs a query: the Db itself or an open transaction. */
export interface Queryable {
  query<R = Row>(text: string, params?: unknown[]): Promise<Result<R>>;
  /** whether the citus extension's catalog is in this database, where vsg knows it (src/core/citus.ts) */
  readonly citus?: boolean;
  /**
   * Open a connection of its own to the same server, for reads that run beside
   * this session's work (src/core/checkpoint.ts › packedRoot). Absent on the
   * embedded database (one connection) and on an application's connection.
   */
  readonly aside?: () => Promise<Aside>;
  /**
   * Inside one of vsg's transactions: run the statement and COMMIT in one round
   * trip (a server connection of vsg's own: see wrapClient). It must be the
   * transaction's last statement, and one that fails whenever the transaction
   * must not commit: once it succeeds the transaction is committed, and the
   * transaction sends no COMMIT of its own. An error in the statement skips the
   * COMMIT, and the transaction rolls back as after any error. Absent elsewhere.
   */
  readonly commitWith?: <R = Row>(text: string, params: unknown[]) => Promise<Result<R>>;
}

/**
 * The transaction `tx` for code that is not the transaction's own last step:
 * an application's work, operations joined into one transaction
 * (Repository.transaction). Without commitWith, which would end it early.
 */
export function withoutCommit<Q extends Queryable>(tx: Q): Omit<Q, 'commitWith'> {
  const { commitWith: _ended, ...rest } = tx;
  return rest;
}

/** A second connection beside a session's (Queryable.aside): its own snapshot, vsg's session settings. */
export interface Aside {
  query<R = Row>(text: string, params?: unknown[]): Promise<{ rows: R[] }>;
  /** stop the statement it is running (the session's interrupt does, with its own) */
  cancel?(): Promise<void>;
  close(): Promise<void>;
}

/** What vsg learnt of the server when it connected (src/db/db.ts open, sql/session/settings.sql). */
export interface ServerInfo {
  /**
   * a connection pooler answers, not the server itself (the pid announced at
   * login is not the backend's): vsg keeps no state on the session, its
   * settings are made per transaction and its statements are not prepared
   */
  pooled: boolean;
  /** a hot standby (pg_is_in_recovery()): vsg only reads, every write is refused (E_READ_ONLY) */
  standby: boolean;
  /** the citus extension's catalog is in this database (src/core/citus.ts) */
  citus: boolean;
}

export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** what the server is, where vsg opened the connection itself (absent on an application's) */
  readonly server?: ServerInfo;
  /**
   * Run SQL text of one or more statements as psql would, outside any
   * transaction of vsg's: every statement's result, each row an array of text
   * (so that columns of the same name stay apart). Absent on a Db that wraps
   * an application's connection.
   */
  script?(text: string): Promise<Result<(string | null)[]>[]>;
  /** where it points, password masked */
  readonly where: string;
  /**
   * Run fn in one transaction: committed if it returns, rolled back if it throws.
   * When a statement vsg prepared no longer fits the database (src/db/prepared.ts),
   * the transaction is run again once, unless `rerun` is false: fn runs the
   * application's own code, which must not run twice unasked (it fails instead,
   * and a second call succeeds).
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, opts?: { rerun?: boolean }): Promise<T>;
  close(): Promise<void>;
  /**
   * Where vsg did not know whether Citus is here (an application's connection),
   * what opening the repository found (sql/repository/open_state.sql): from then
   * on `citus` says so, and src/core/gather.ts asks nothing where it is absent.
   */
  knowCitus?(present: boolean): void;
  /**
   * Stop the work in progress, as psql's Ctrl-C does: a statement running on
   * a server is cancelled (from a second connection), and every query after
   * this fails with E_INTERRUPTED, so that the transaction in progress rolls
   * back. Says what was going on: a query in flight, a transaction open.
   * Absent on a Db that wraps an application's connection.
   */
  interrupt?(): Interrupted;
  /**
   * How many of its transactions so far sent their BEGIN in the same round trip
   * as their first statement (a server connection of vsg's own: see wrapClient);
   * absent where every BEGIN is a round trip of its own. The counting Db
   * (src/db/counting.ts) reads it to count round trips as they are.
   */
  readonly beginsJoined?: number;
}

/** What a Db was doing when interrupted. */
export interface Interrupted {
  /** a query was in flight (on a server, a cancel request went out) */
  busy: boolean;
  /** one of vsg's transactions was open: it is being rolled back */
  inTransaction: boolean;
}

/** The error every query fails with after an interrupt. */
export function interruptedError(inTransaction: boolean): VsgError {
  return new VsgError('E_INTERRUPTED', inTransaction ? 'interrupted; the transaction was rolled back' : 'interrupted');
}

/**
 * Settings on every session of vsg's. The first five make every value's text
 * form canonical, whoever captured it (the capture trigger carries the same on
 * its function definition). JIT is off: the root commit holds a whole table,
 * which inflates the planner's estimates for vsg's own small queries until it
 * compiles them, at a cost of seconds for milliseconds of work. work_mem: a
 * write-back or commit of a large difference sorts and hashes all of it (a few
 * hundred bytes a row); at the default 4MB that spills to disk, ~20 % of a
 * 100k-row checkout.
 */
export const SETTINGS: readonly (readonly [string, string])[] = [
  ['extra_float_digits', '3'],
  ['TimeZone', 'UTC'],
  ['DateStyle', 'ISO, YMD'],
  ['IntervalStyle', 'postgres'],
  ['bytea_output', 'hex'],
  ['jit', 'off'],
  ['work_mem', '64MB'],
];

/** SETTINGS as the parameters of sql/session/settings.sql and local_settings.sql: names, values. */
const SETTINGS_PARAMS = [SETTINGS.map(([n]) => n), SETTINGS.map(([, v]) => v)];

/** SETTINGS as statements for a session of vsg's own. */
export const SESSION_SETTINGS = SETTINGS.map(([name, value]) => `SET ${name} = '${value}'`).join('; ');

export const rawText = { getTypeParser: () => (v: string) => v };

/** A boolean as vsg reads it back: true, or PostgreSQL's text form of true ('t', or 'true' where a value was cast to text). */
export function sqlTrue(v: unknown): boolean {
  return v === true || v === 't' || v === 'true';
}

/** The minimal client surface vsg uses; a user's own pg.Client or PoolClient fits. */
export interface PgLikeClient {
  query(text: string, params?: unknown[]): Promise<pg.QueryResult>;
}

/**
 * Wrap a node-postgres client (ours or an application's) as a Db. One client
 * is one session, so callers take turns: a transaction runs alone, and a query
 * from outside it waits until it ends instead of landing inside it. Code
 * running inside a transaction (the same async context) joins it.
 */
export function wrapClient(
  client: PgLikeClient,
  kind: Db['kind'],
  where: string,
  onClose: () => Promise<void>,
  cancel?: () => Promise<void>,
  opts: { prepare?: boolean; server?: ServerInfo; aside?: () => Promise<Aside>; joinBegin?: JoinBegin } = {},
): Db {
  const inside = new AsyncLocalStorage<true>();
  const pooled = opts.server?.pooled === true;
  // A transaction's BEGIN goes out with its first statement, in one round trip,
  // where that statement takes the extended protocol (vsg's own statements, with
  // parameters) on a server connection of vsg's own, not behind a pooler
  // (joinedQuery); else it is sent alone as the transaction starts.
  const joinBegin = pooled ? undefined : opts.joinBegin;
  let beginDue = false;
  let beginsJoined = 0;
  // vsg's own statements, named on this session (src/db/prepared.ts): only on a
  // session that is vsg's, never on an application's (fromPg), nor behind a
  // pooler, where the next transaction may run on a session that never saw them
  const names = statementNames(opts.prepare === true && !pooled);
  let turn: Promise<unknown> = Promise.resolve();
  // what interrupt() needs to know: queries in flight, an open transaction, and whether it came
  let busy = 0;
  let inTx = false;
  let interrupted: Interrupted | null = null;
  const run = async <T>(q: () => Promise<T>): Promise<T> => {
    if (interrupted) throw interruptedError(interrupted.inTransaction);
    busy++;
    try {
      return await q();
    } finally {
      busy--;
    }
  };
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    if (inside.getStore()) return work();
    const mine = turn.then(() => inside.run(true, work));
    turn = mine.catch(() => undefined);
    return mine;
  };
  /** Every statement's result of a query (one, or several for a multi-statement text). */
  const results = async (text: string, params: unknown[] | undefined, rowMode?: 'array', name?: string, commit = false): Promise<pg.QueryResult[]> => {
    // Ask for text for every type, even from a client configured otherwise. PGlite's
    // node-postgres shim reads a query's `types` as parameter types, so there the
    // client-level setting does it.
    const config = kind === 'postgres' ? { name, text, values: params, types: rawText, rowMode } : { name, text, values: params, rowMode };
    // (node-postgres sends a statement with a name or parameters over the extended protocol, the rest as a simple query)
    const extended = name !== undefined || (params !== undefined && params.length > 0);
    if (joinBegin && extended && (commit || beginDue)) {
      const begin = beginDue;
      beginDue = false;
      if (begin) beginsJoined++;
      // (BEGIN's result first, COMMIT's last: the statement's between)
      const all = await run(() => joinBegin(config, { begin, commit }));
      return all.slice(begin ? 1 : 0, commit ? -1 : undefined);
    }
    if (commit) {
      const all = await results(text, params, rowMode, name);
      await run(() => client.query('COMMIT'));
      return all;
    }
    if (beginDue) {
      beginDue = false;
      await run(() => client.query('BEGIN'));
    }
    const res = (await run(() => client.query(config as unknown as string))) as pg.QueryResult | pg.QueryResult[];
    return Array.isArray(res) ? res : [res];
  };
  const result = <R>(r: pg.QueryResult | undefined): Result<R> => ({
    rows: (r?.rows ?? []) as R[],
    rowCount: r?.rowCount ?? 0,
    fields: (r?.fields ?? []).map((f: pg.FieldDef) => ({ name: f.name, dataTypeID: f.dataTypeID })),
    command: r?.command ?? '',
  });
  let committed = false;
  const send = async <R = Row>(text: string, params?: unknown[], commit = false): Promise<Result<R>> => {
    const name = names.nameOf(text, params);
    try {
      const out = result<R>((await results(text, params, undefined, name, commit)).at(-1));
      if (commit) committed = true;
      return out;
    } catch (e) {
      if (name === undefined || !names.forgetIfStale(name, e)) throw fromPrunedSql(e);
      // Inside vsg's transaction the error aborted it: transaction() runs it again.
      if (inTx || commit) throw e;
      try {
        return result<R>((await results(text, params, undefined, names.nameOf(text, params))).at(-1));
      } catch (again) {
        // 25P02: the session is inside a transaction of the user's own, which the first error aborted
        throw (again as { code?: string }).code === '25P02' ? e : again;
      }
    }
  };
  /**
   * Behind a pooler, a transaction's query: vsg's settings go first, made LOCAL,
   * sent with the transaction's first statement unless that one must come
   * first itself (SET TRANSACTION ISOLATION LEVEL, which then goes before them).
   */
  const settingsFirst = (): Queryable['query'] => {
    let due = true;
    return async <R = Row>(text: string, params?: unknown[]): Promise<Result<R>> => {
      if (due && !/^\s*SET\s+TRANSACTION\b/i.test(text)) {
        due = false;
        await send(sql('session/local_settings'), SETTINGS_PARAMS);
      }
      return send<R>(text, params);
    };
  };
  // (a transaction's last statement with its COMMIT: where BEGIN can join a statement, so can COMMIT)
  const commitWith: Pick<Queryable, 'commitWith'> = joinBegin ? { commitWith: <R = Row>(text: string, params: unknown[]) => send<R>(text, params, true) } : {};
  // Behind a pooler every statement of vsg's runs in a transaction of its own, which carries the settings.
  const query = <R = Row>(text: string, params?: unknown[]): Promise<Result<R>> =>
    pooled && !inside.getStore() ? db.transaction((tx) => tx.query<R>(text, params)) : inTurn(() => send<R>(text, params));
  // Known where vsg opened the session (the embedded database never has Citus); unknown on an application's.
  // (learnt when the repository is opened where it is unknown: knowCitus; spread into each transaction when it starts)
  const citus: { citus?: boolean } = kind === 'pglite' ? { citus: false } : opts.server ? { citus: opts.server.citus } : {};
  // a second connection for a transaction's reads beside it, where vsg can open one
  // (Queryable.aside): its statements count as this session's work, and an
  // interrupt stops them too (the server runs a statement to its end otherwise,
  // and the transaction waiting for it would wait as long)
  const asides = new Set<{ running: number; cancel?: () => Promise<void> }>();
  const openAside = opts.aside;
  const beside: { aside?: () => Promise<Aside> } = openAside
    ? {
        aside: async () => {
          const other = await openAside();
          const mine = { running: 0, ...(other.cancel ? { cancel: other.cancel } : {}) };
          asides.add(mine);
          return {
            query: async <R = Row>(text: string, params?: unknown[]) => {
              if (interrupted) throw interruptedError(interrupted.inTransaction);
              mine.running++;
              try {
                return await other.query<R>(text, params);
              } finally {
                mine.running--;
              }
            },
            close: async () => {
              asides.delete(mine);
              await other.close();
            },
          };
        },
      }
    : {};
  const db: Db = {
    kind,
    where,
    ...(opts.server ? { server: opts.server } : {}),
    get citus() {
      return citus.citus;
    },
    knowCitus(present: boolean) {
      if (citus.citus === undefined) citus.citus = present;
    },
    query,
    script: (text) =>
      inTurn(async () => {
        // node-postgres keeps a tag's first word only ('CREATE' for 'CREATE TABLE'); psql shows it whole
        const tags: string[] = [];
        const connection = (client as { connection?: { on(e: string, f: (m: { text?: string }) => void): void; off(e: string, f: (m: { text?: string }) => void): void } }).connection;
        const onTag = (m: { text?: string }) => void tags.push(String(m.text ?? ''));
        connection?.on('commandComplete', onTag);
        try {
          const all = await results(text, undefined, 'array');
          return all.map((r, i) => ({ ...result<(string | null)[]>(r), ...(tags.length === all.length ? { tag: tags[i] } : {}) }));
        } finally {
          connection?.off('commandComplete', onTag);
        }
      }),
    transaction<T>(fn: (tx: Queryable) => Promise<T>, opts: { rerun?: boolean } = {}): Promise<T> {
      if (inside.getStore()) return fn({ query: send, ...citus, ...beside });
      return inTurn(async () => {
        for (let attempt = 1; ; attempt++) {
          const stale = names.staleSeen;
          if (joinBegin) beginDue = true;
          else await run(() => client.query('BEGIN'));
          inTx = true;
          committed = false;
          try {
            const out = await fn({ query: pooled ? settingsFirst() : send, ...citus, ...beside, ...commitWith });
            // a stale statement's error was caught and ignored: the transaction is aborted all the same
            if (names.staleSeen !== stale && !committed) throw staleStatement();
            // (a transaction that sent nothing began nothing; one ended by commitWith is over)
            if (beginDue) beginDue = false;
            else if (!committed) await run(() => client.query('COMMIT'));
            return out;
          } catch (e) {
            // (ended by commitWith: committed, nothing to roll back)
            if (committed) throw e;
            const began = !beginDue;
            beginDue = false;
            // also after an interrupt: the rollback is what it waits for
            if (began) await client.query('ROLLBACK').catch(() => undefined);
            // One of vsg's saved statements no longer fitted (it is forgotten now): nothing of
            // this attempt was kept, so run the transaction again, once.
            if (names.staleSeen !== stale && !interrupted) {
              if (attempt === 1 && opts.rerun !== false) continue;
              throw staleStatement();
            }
            throw e;
          } finally {
            inTx = false;
          }
        }
      });
    },
    close: onClose,
    interrupt(): Interrupted {
      if (interrupted) return interrupted;
      const aside = [...asides].filter((a) => a.running > 0);
      interrupted = { busy: busy > 0 || aside.length > 0, inTransaction: inTx };
      // A statement running on the server stops only when the server is told to.
      if (busy > 0 && cancel) cancel().catch(() => undefined);
      for (const a of aside) a.cancel?.().catch(() => undefined);
      return interrupted;
    },
  };
  // (a getter on the object itself: spread into it, it would be read once)
  if (joinBegin) Object.defineProperty(db, 'beginsJoined', { get: () => beginsJoined, enumerable: true });
  return db;
}

/**
 * Send a query config with BEGIN before it and/or COMMIT after it, in one round
 * trip: every statement's result in order (BEGIN's first, COMMIT's last).
 */
type JoinBegin = (config: Record<string, unknown>, with_: { begin: boolean; commit: boolean }) => Promise<pg.QueryResult[]>;

/**
 * JoinBegin for a node-postgres client of vsg's own: BEGIN, the statement and
 * COMMIT as one batch of the extended protocol (Parse, Bind and Execute of
 * BEGIN, the statement's own messages, those of COMMIT, and one Sync). An
 * error skips the rest up to the Sync, as PostgreSQL does within a batch (a
 * failed statement's COMMIT is never run), and fails the query as a lone
 * statement's error would. node-postgres takes the batch as one query (a
 * Submittable: its results arrive in order, as a multi-statement text's do).
 * Only for a statement with parameters, or one sent as a prepared statement:
 * one without takes the simple protocol, where a text may hold several.
 */
export function joinedQuery(driver: typeof pg, client: pg.Client): JoinBegin {
  const connection = (client as unknown as { connection: { parsedStatements: Record<string, string>; parse(m: object): void; bind(m: object): void; execute(m: object): void; sync(): void } }).connection;
  const unnamed = (con: typeof connection, text: string) => {
    con.parse({ text });
    con.bind({});
    con.execute({});
  };
  type Sync = { sync(): void };
  class Framed extends (driver.Query as unknown as new (config: object, values: undefined, cb: (e: Error | null, r: pg.QueryResult | pg.QueryResult[]) => void) => object) {
    constructor(config: object, cb: (e: Error | null, r: pg.QueryResult | pg.QueryResult[]) => void, readonly frame: { begin: boolean; commit: boolean }) {
      super(config, undefined, cb);
    }
    prepare(con: typeof connection & Sync): void {
      if (this.frame.begin) unnamed(con, 'BEGIN');
      if (!this.frame.commit) {
        (driver.Query.prototype as unknown as { prepare(c: unknown): void }).prepare.call(this, con);
        return;
      }
      // (node-postgres ends the statement's messages with the Sync: COMMIT goes
      // before it, once the statement's Execute went out; a statement whose
      // parameters could not be bound is never executed, nor is COMMIT sent)
      const { sync, execute } = con;
      const own = { sync: Object.hasOwn(con, 'sync'), execute: Object.hasOwn(con, 'execute') };
      let executed = false;
      con.execute = (m: object) => {
        executed = true;
        execute.call(con, m);
      };
      con.sync = () => {
        if (executed) unnamed(con, 'COMMIT');
        sync.call(con);
      };
      try {
        (driver.Query.prototype as unknown as { prepare(c: unknown): void }).prepare.call(this, con);
      } finally {
        if (own.sync) con.sync = sync;
        else delete (con as Partial<Sync>).sync;
        if (own.execute) con.execute = execute;
        else delete (con as Partial<typeof con>).execute;
      }
    }
  }
  return (config, frame) =>
    new Promise((resolve, reject) => {
      const name = config.name as string | undefined;
      // BEGIN's ParseComplete marks the statement's name parsed (node-postgres
      // credits any ParseComplete to the query in flight): should the
      // statement's own Parse fail, the name is unmarked again
      const parsed = name !== undefined && name in connection.parsedStatements;
      const q = new Framed(config, (e, r) => {
        if (e) {
          if (name !== undefined && !parsed) delete connection.parsedStatements[name];
          reject(e);
        } else resolve(Array.isArray(r) ? r : [r]);
      }, frame);
      void client.query(q as unknown as pg.QueryConfig);
    });
}

function staleStatement(): VsgError {
  return new VsgError('E_SQL', 'a statement vsg had prepared on this connection no longer fitted the database; the transaction was rolled back', {
    exitCode: ExitCode.sql,
    hint: 'run it again',
  });
}

/** Mask the password(s) of a connection URL or keyword=value string for every message vsg prints. */
export function maskUrl(url: string): string {
  return maskConnection(url);
}

/** Remove any occurrence of a secret from a text (error messages from drivers). */
export function scrub(text: string, secrets: string[]): string {
  let out = text;
  for (const s of secrets) {
    if (!s) continue;
    out = out.split(s).join('***');
    const enc = encodeURIComponent(s);
    if (enc !== s) out = out.split(enc).join('***');
  }
  return out;
}

async function open(config: pg.ClientConfig): Promise<{ client: pg.Client; server: ServerInfo }> {
  // Loaded here, not at the top: commands that reach no database (--help) load no driver.
  const { default: pgDriver } = await import('pg');
  const client = new pgDriver.Client({ connectionTimeoutMillis: 10_000, ...config, types: rawText });
  client.on('error', () => undefined);
  try {
    await client.connect();
    // The settings, and whether a pooler or a standby answers, in the one round trip the settings took
    const pid = (client as unknown as { processID: number | null }).processID ?? 0;
    const { rows } = await client.query({ text: sql('session/settings'), values: [pid, ...SETTINGS_PARAMS], types: rawText });
    const row = rows[0] as { pooled: string; standby: string; citus: string };
    return { client, server: { pooled: row.pooled === 't', standby: row.standby === 't', citus: row.citus === 't' } };
  } catch (e) {
    await client.end().catch(() => undefined);
    throw e;
  } finally {
    // a password node-postgres found in ~/.pgpass (or PGPASSWORD) is as secret as one in the URL
    keepSecret((client as unknown as { password?: string | null }).password);
  }
}

const noTls = (e: unknown) => /does not support SSL/i.test(String((e as Error)?.message));

/**
 * Connect to a PostgreSQL server given a URL or libpq keyword=value pairs
 * (src/db/connection.ts). Errors name the server with its password masked.
 * vsg's own statements are prepared on the connection unless
 * `preparedStatements` (else VSG_PREPARED_STATEMENTS) says not to.
 */
export async function connectServer(url: string, opts: { preparedStatements?: boolean } = {}): Promise<Db> {
  const prepare = preparedStatementsWanted(opts.preparedStatements);
  const target = parseConnection(url);
  for (const s of target.secrets) keepSecret(s);
  let client: pg.Client;
  let server: ServerInfo;
  let used: pg.ClientConfig = target.config;
  try {
    try {
      ({ client, server } = await open(used));
    } catch (e) {
      // sslmode=prefer: the server has no TLS, so go plain; allow: the server insists on TLS.
      if (target.fallback === 'plain' && noTls(e)) used = { ...target.config, ssl: false };
      else if (target.fallback === 'tls' && (e as { code?: string }).code === '28000') used = { ...target.config, ssl: { rejectUnauthorized: false } };
      else throw e;
      ({ client, server } = await open(used));
    }
  } catch (e) {
    throw connectionError(e, target.where, target.secrets);
  }
  // A cancel goes over a second connection, as psql's does: the session's own is busy.
  // Behind a pooler the pid is the pooler's own, no backend's: no cancel (the statement runs to its end).
  const cancelOf = (c: pg.Client) =>
    server.pooled
      ? undefined
      : async () => {
          const { client: other } = await open({ ...used, connectionTimeoutMillis: 5_000 });
          try {
            await other.query(sql('session/cancel'), [(c as unknown as { processID: number }).processID]);
          } finally {
            await other.end().catch(() => undefined);
          }
        };
  const cancel = cancelOf(client);
  const aside = async (): Promise<Aside> => {
    const { client: other } = await open({ ...used, connectionTimeoutMillis: 5_000 });
    const stop = cancelOf(other);
    return {
      query: async <R>(text: string, params?: unknown[]) => ({ rows: (await other.query({ text, values: params, types: rawText })).rows as R[] }),
      ...(stop ? { cancel: stop } : {}),
      close: () => other.end().catch(() => undefined),
    };
  };
  const { default: pgDriver } = await import('pg');
  return wrapClient(client, 'postgres', target.where, () => client.end(), cancel, { prepare, server, aside, joinBegin: joinedQuery(pgDriver, client) });
}

export function connectionError(e: unknown, where: string, secrets: string[] = []): VsgError {
  const err = e as { code?: string; message?: string };
  // node-postgres's own messages are capitalised ("The server does not support SSL connections")
  const reason = scrubSecrets(scrub(String(err.message ?? e), secrets)).replace(/^[A-Z](?=[a-z])/, (c) => c.toLowerCase());
  const hint =
    err.code === '3D000'
      ? 'create the database first, or point --url at one that exists'
      : noTls(e)
        ? 'the server does not offer TLS: use sslmode=prefer or sslmode=disable, or enable ssl on the server'
        : 'check --url, VSG_DATABASE_URL or .vsgrc, and that the server is running';
  return new VsgError('E_CONNECT', `cannot connect to '${where}': ${reason}`, { exitCode: ExitCode.connection, hint });
}
