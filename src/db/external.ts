/**
 * A Db over an application's own node-postgres Pool, Client or PoolClient,
 * so that vsg's work can share the application's transaction.
 *
 * - vsg never changes the application's session: the settings that make text
 *   forms canonical (SESSION_SETTINGS) are set LOCAL to each of vsg's
 *   transactions and put back afterwards.
 * - On a client that is already inside a transaction (the application said
 *   BEGIN, or runs an ORM transaction on it), vsg's work is a SAVEPOINT within
 *   it: it commits when the application commits, and a failure of vsg's part
 *   rolls back only that part.
 * - vsg never closes what it did not open.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';
import { SETTINGS, wrapClient, type Db, type PgLikeClient, type Queryable, type Result, type Row } from './db.js';

/** The part of a pg.Pool vsg uses. */
export interface PgLikePool {
  connect(): Promise<PgLikeClient & { release(err?: Error | boolean): void }>;
  query(text: string, params?: unknown[]): Promise<pg.QueryResult>;
}

/** A transaction handed to application code: vsg's query, and the connection itself for drivers and ORMs. */
export interface ExternalTx extends Queryable {
  client: PgLikeClient;
}


function isPool(x: PgLikeClient | PgLikePool): x is PgLikePool {
  const o = x as unknown as Record<string, unknown>;
  return typeof o.connect === 'function' && 'totalCount' in o && typeof o.release !== 'function';
}

let savepoints = 0;

/** Run fn in a transaction on one connection: its own, or a savepoint inside the application's. */
async function onConnection<T>(client: PgLikeClient, fn: (tx: ExternalTx) => Promise<T>, known: { citus?: boolean } = {}): Promise<T> {
  const q = wrapClient(client, 'postgres', '', async () => undefined).query;
  const name = `vsg_${process.pid}_${++savepoints}`;
  let own = false;
  try {
    await client.query(`SAVEPOINT ${name}`);
  } catch (e) {
    if ((e as { code?: string }).code !== '25P01') throw e; // 25P01: not in a transaction block
    own = true;
    await client.query('BEGIN');
  }
  try {
    const names = SETTINGS.map(([n]) => n);
    const old = own ? null : (await q<Record<string, string>>(`SELECT ${names.map((n, i) => `current_setting('${n}') AS s${i}`).join(', ')}`)).rows[0];
    await q(`SELECT ${SETTINGS.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`, SETTINGS.flat());
    const out = await fn({ query: q, client, ...known });
    if (own) {
      await client.query('COMMIT');
    } else {
      const back = names.flatMap((n, i) => [n, old![`s${i}`]]);
      await q(`SELECT ${names.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`, back);
      await client.query(`RELEASE SAVEPOINT ${name}`);
    }
    return out;
  } catch (e) {
    await client.query(own ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${name}`).catch(() => undefined);
    if (!own) await client.query(`RELEASE SAVEPOINT ${name}`).catch(() => undefined);
    throw e;
  }
}

/**
 * Wrap an application's pg Pool, Client or PoolClient as vsg's Db. With a
 * Pool, each of vsg's transactions checks a connection out and returns it.
 */
export function fromPg(source: PgLikeClient | PgLikePool, where = 'the application database'): Db & { transaction<T>(fn: (tx: ExternalTx) => Promise<T>): Promise<T> } {
  // The transaction the current async call chain runs in: a nested call joins
  // it, while concurrent calls on a Pool each get their own connection.
  const active = new AsyncLocalStorage<ExternalTx>();
  // whether Citus is here, once opening the repository found out (knowCitus)
  const known: { citus?: boolean } = {};
  const transaction = async <T>(fn: (tx: ExternalTx) => Promise<T>): Promise<T> => {
    const current = active.getStore();
    if (current) return fn(current);
    const run = (client: PgLikeClient) => onConnection(client, (tx) => active.run(tx, () => fn(tx)), known);
    if (!isPool(source)) return run(source);
    const client = await source.connect();
    try {
      return await run(client);
    } finally {
      client.release();
    }
  };
  return {
    kind: 'postgres',
    where,
    query: <R = Row>(text: string, params?: unknown[]): Promise<Result<R>> => transaction((tx) => tx.query<R>(text, params)),
    transaction,
    close: async () => undefined,
    get citus() {
      return known.citus;
    },
    knowCitus(present: boolean) {
      if (known.citus === undefined) known.citus = present;
    },
  };
}
