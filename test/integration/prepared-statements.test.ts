/**
 * vsg's own statements are prepared once per connection (src/db/prepared.ts):
 * reused across commits in one process, at no extra round trip, prepared
 * again when a saved one goes stale (a vsg table's column changes type under
 * it; DEALLOCATE ALL), and not at all when switched off. On the real server
 * and on PGlite, through connections the test holds so that it can count what
 * crosses the wire: one ReadyForQuery per round trip, one Parse per statement
 * prepared.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { openRepository, type Repository } from '../../src/index.js';
import { countingDb } from '../../src/db/counting.js';
import { rawText, SESSION_SETTINGS, wrapClient, type Db } from '../../src/db/db.js';
import { START_SETTINGS } from '../../src/db/template.js';
import { makeTarget, targetNames, vsg, type Target } from '../helpers/targets.js';

const author = 'tester';

/** What node-postgres sent on one connection: round trips (ReadyForQuery) and the names it parsed. */
interface Wire {
  db: Db;
  roundTrips: number;
  parsed: (string | undefined)[];
  end(): Promise<void>;
}

type Conn = { on(e: string, f: () => void): void; parse(q: { name?: string }): void };

/** A Db of vsg's own kind (statements prepared) over a connection to the target that the test watches. */
async function wire(t: Target): Promise<Wire> {
  let client: pg.Client;
  let close: () => Promise<void>;
  if (t.name === 'postgres') {
    client = new pg.Client({ connectionString: t.url, types: rawText });
    await client.connect();
    close = () => client.end();
  } else {
    const [{ PGlite }, { createPgConfig }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite/node-postgres')]);
    const lite = new PGlite(path.join(t.cwd, '.vsg', 'pgdata'), { startParams: [...PGlite.defaultStartParams, ...START_SETTINGS] });
    client = new pg.Client({ ...(createPgConfig(lite) as object), types: rawText });
    await client.connect();
    close = async () => {
      await client.end();
      await lite.close();
    };
  }
  await client.query(SESSION_SETTINGS);
  const conn = (client as unknown as { connection: Conn }).connection;
  const w: Wire = { db: undefined as unknown as Db, roundTrips: 0, parsed: [], end: close };
  conn.on('readyForQuery', () => w.roundTrips++);
  const parse = conn.parse.bind(conn);
  conn.parse = (q) => {
    w.parsed.push(q.name);
    parse(q);
  };
  w.db = wrapClient(client, t.name, 'test', close, undefined, { prepare: true });
  return w;
}

/** The statements prepared on the Db's session, by name, with how many times each ran. */
async function prepared(db: Db): Promise<Map<string, number>> {
  const { rows } = await db.query<{ name: string; runs: string }>(
    `SELECT name, (generic_plans + custom_plans)::text AS runs FROM pg_prepared_statements WHERE name LIKE 'vsg%'`,
  );
  return new Map(rows.map((r) => [r.name, Number(r.runs)]));
}

describe.each(targetNames())('prepared statements on %s', (name) => {
  let t: Target;
  let w: Wire;
  let repo: Repository;
  let n = 0;
  const update = () => `UPDATE items SET v = 'c${++n}' WHERE id = ${(n % 20) + 1}`;

  beforeAll(async () => {
    t = await makeTarget(name);
    const setup = await t.open({ init: true });
    await setup.sql(`CREATE TABLE items (id int PRIMARY KEY, v text); INSERT INTO items SELECT i, 'v' || i FROM generate_series(1, 20) i`);
    await setup.track('items', { author });
    await setup.close();
    w = await wire(t);
    repo = await openRepository({ db: w.db });
  });
  afterAll(async () => {
    await w?.end();
    await t.cleanup();
  });

  it('prepares each statement of a commit on its first use, in the same round trip, and reuses it for the next commits', async () => {
    const counting = countingDb(w.db);
    const counted = await openRepository({ db: counting });
    for (let i = 0; i < 3; i++) {
      w.roundTrips = 0;
      w.parsed.length = 0;
      const m = await counting.measure(() => counted.commit({ table: 'items', sql: update(), author }));
      expect(m.value.commit.updated).toBe(1);
      // what the counting Db counted is what crossed the wire: preparing adds no round trip
      expect(w.roundTrips).toBe(m.count);
      expect(m.count).toBe(4);
      // the shared lock (which runs the UPDATE) and the commit (with the branch lock and the shape after the SQL) are named; the first commit parses them, the next ones nothing
      if (i === 0) expect(w.parsed.filter(Boolean).sort()).toEqual(['vsg0.0:commit/create', 'vsg0.0:tables/lock_shared']);
      else expect(w.parsed).toEqual([]);
    }
    const runs = await prepared(w.db);
    expect(runs.get('vsg0.0:commit/create')).toBe(3);
    expect(runs.get('vsg0.0:tables/lock_shared')).toBe(3);
  });

  it('leaves unnamed what is not one of vsg\'s files: the user\'s SQL and statements without parameters', async () => {
    w.parsed.length = 0;
    await repo.sql(`SELECT count(*) FROM items WHERE id > 0`);
    await w.db.query(`SELECT $1::int + 1 AS two`, [1]);
    expect(w.parsed.filter(Boolean)).toEqual([]);
  });

  it('prepares a statement again when a vsg table it reads changed a column\'s type, and the commit goes through', async () => {
    await repo.commit({ table: 'items', sql: update(), author });
    const before = await repo.log({ table: 'items', limit: 1 });
    // as an upgrade run by another process might: sql/tables/lock.sql returns vsg.tracked.head
    await w.db.query(`ALTER TABLE vsg.tracked ALTER COLUMN head TYPE varchar(200)`);
    try {
      const r = await repo.commit({ table: 'items', sql: `UPDATE items SET v = 'after the change' WHERE id = 3`, author, message: 'stale lock statement' });
      expect(r.commit.updated).toBe(1);
      expect(r.commit.parents).toEqual([before.commits[0].id]);
      const runs = await prepared(w.db);
      expect(runs.has('vsg0.1:tables/lock_shared')).toBe(true);
      expect((await w.db.query<{ v: string }>(`SELECT v FROM items WHERE id = 3`)).rows).toEqual([{ v: 'after the change' }]);
    } finally {
      await w.db.query(`ALTER TABLE vsg.tracked ALTER COLUMN head TYPE text`);
    }
    // the statement prepared while head was varchar goes stale again, and is prepared again
    const r = await repo.commit({ table: 'items', sql: update(), author });
    expect(r.commit.updated).toBe(1);
    expect((await prepared(w.db)).has('vsg0.2:tables/lock_shared')).toBe(true);
    expect((await repo.verify({ table: 'items' })).ok).toBe(true);
  });

  it('prepares every statement again after DEALLOCATE ALL, outside a transaction and inside one', async () => {
    const log = await repo.log({ table: 'items', limit: 3 });
    await w.db.query('DEALLOCATE ALL');
    // log's statements run outside a transaction: the failing one is sent again at once
    expect(await repo.log({ table: 'items', limit: 3 })).toEqual(log);
    expect([...(await prepared(w.db)).keys()].every((k) => k.startsWith('vsg1.'))).toBe(true);
    // inside a commit, the user's own DEALLOCATE ALL makes the next statement (prepared by
    // the commit before) fail; the transaction is run again, once
    const { commit: prev } = await repo.commit({ table: 'items', sql: update(), author });
    const head = prev.id;
    const r = await repo.commit({ table: 'items', sql: `UPDATE items SET v = 'dealloc' WHERE id = 4; DEALLOCATE ALL`, author });
    expect(r.commit.updated).toBe(1);
    expect(r.commit.parents).toEqual([head]);
    expect((await prepared(w.db)).has('vsg2.0:commit/create')).toBe(true);
    const after = await repo.log({ table: 'items', limit: 2 });
    expect(after.commits.map((c) => c.id)).toEqual([r.commit.id, head]);
    expect((await repo.verify({ table: 'items' })).ok).toBe(true);
  });

  it('does not run an application\'s work twice: a commit with a function fails instead, and the next call goes through', async () => {
    const { commit: prev } = await repo.commit({ table: 'items', sql: update(), author });
    let calls = 0;
    const failed = await repo
      .commit({ table: 'items', author }, async (tx) => {
        calls++;
        await tx.query(`UPDATE items SET v = 'from work' WHERE id = 5`);
        await tx.query('DEALLOCATE ALL');
      })
      .catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(failed).toMatchObject({ code: 'E_SQL', hint: 'run it again' });
    expect((await w.db.query<{ v: string }>(`SELECT v FROM items WHERE id = 5`)).rows[0].v).not.toBe('from work');
    expect((await repo.log({ table: 'items', limit: 1 })).commits[0].id).toBe(prev.id);
    const r = await repo.commit({ table: 'items', author }, async (tx) => {
      calls++;
      await tx.query(`UPDATE items SET v = 'from work' WHERE id = 5`);
    });
    expect(calls).toBe(2);
    expect(r.commit.parents).toEqual([prev.id]);
  });

  it('replans under another search_path', async () => {
    await w.db.query(`CREATE SCHEMA IF NOT EXISTS elsewhere; CREATE TABLE IF NOT EXISTS elsewhere.tracked (id int)`);
    await w.db.query(`SET search_path = elsewhere, public`);
    try {
      const r = await repo.commit({ table: 'items', sql: update(), author });
      expect(r.commit.updated).toBe(1);
    } finally {
      await w.db.query(`SET search_path = "$user", public`);
    }
  });

  it('prepares nothing when switched off, by option or by VSG_PREPARED_STATEMENTS', async () => {
    await w.end();
    try {
      const where = name === 'postgres' ? { url: t.url } : { dir: path.join(t.cwd, '.vsg') };
      for (const open of [
        () => openRepository({ ...where, preparedStatements: false }),
        () => withEnv('off', () => openRepository(where)),
      ]) {
        const r = await open();
        try {
          await r.commit({ table: 'items', sql: update(), author });
          expect((await prepared(r.db)).size).toBe(0);
        } finally {
          await r.close();
        }
      }
      // on by default: the same commit leaves its statements prepared
      const on = await openRepository(where);
      try {
        await on.commit({ table: 'items', sql: update(), author });
        expect((await prepared(on.db)).get('vsg0.0:commit/create')).toBe(1);
      } finally {
        await on.close();
      }
      await expect(withEnv('maybe', () => openRepository(where))).rejects.toMatchObject({ code: 'E_CONFIG' });
    } finally {
      w = await wire(t);
      repo = await openRepository({ db: w.db });
    }
  });

  it('refuses an unknown VSG_PREPARED_STATEMENTS on the command line in one line, exit 5', async () => {
    await w.end();
    try {
      const r = await vsg(t, ['status'], { env: { VSG_PREPARED_STATEMENTS: 'maybe' } });
      expect(r.code).toBe(5);
      expect(r.stderr).toMatch(/^error: VSG_PREPARED_STATEMENTS must be on or off, not 'maybe'\n/);
      const off = await vsg(t, ['status'], { env: { VSG_PREPARED_STATEMENTS: 'off' } });
      expect(off.code, off.stderr).toBe(0);
    } finally {
      w = await wire(t);
      repo = await openRepository({ db: w.db });
    }
  });
});

/** Run fn with VSG_PREPARED_STATEMENTS set, then put it back. */
async function withEnv<T>(value: string, fn: () => Promise<T>): Promise<T> {
  const old = process.env.VSG_PREPARED_STATEMENTS;
  process.env.VSG_PREPARED_STATEMENTS = value;
  try {
    return await fn();
  } finally {
    if (old === undefined) delete process.env.VSG_PREPARED_STATEMENTS;
    else process.env.VSG_PREPARED_STATEMENTS = old;
  }
}
