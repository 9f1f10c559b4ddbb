/**
 * On a server connection of vsg's own, a transaction's BEGIN goes out with its
 * first statement that takes the extended protocol, in one round trip
 * (src/db/db.ts, joinedQuery). Counted on the wire (one ReadyForQuery per
 * round trip), and held to what a BEGIN sent alone gives: the statements run
 * in one transaction, an error in the first (at parse or at execution) fails
 * the transaction with PostgreSQL's own report and keeps nothing, and the
 * connection goes on. Server only: the embedded database sends BEGIN alone (a
 * call into the same process, no round trip to save).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { joinedQuery, rawText, SESSION_SETTINGS, wrapClient, type Db } from '../../src/db/db.js';
import { makeTarget, type Target } from '../helpers/targets.js';
import type { Repository } from '../../src/index.js';

describe('BEGIN with the first statement on postgres', () => {
  let t: Target;
  let client: pg.Client;
  let db: Db;
  let trips = 0;

  beforeAll(async () => {
    t = await makeTarget('postgres');
    client = new pg.Client({ connectionString: t.url, types: rawText });
    await client.connect();
    await client.query(SESSION_SETTINGS);
    await client.query('CREATE TABLE jb (id int PRIMARY KEY, v text)');
    (client as unknown as { connection: { on(e: string, f: () => void): void } }).connection.on('readyForQuery', () => trips++);
    db = wrapClient(client, 'postgres', 'test', () => client.end(), undefined, { prepare: true, joinBegin: joinedQuery(pg, client) });
  });
  afterAll(async () => {
    await client.end();
    await t.cleanup();
  });

  /** Run fn and count its round trips. */
  async function counted<T>(fn: () => Promise<T>): Promise<{ value: T; trips: number }> {
    const before = trips;
    const value = await fn();
    return { value, trips: trips - before };
  }

  it('a transaction of two statements with parameters is three round trips, in one transaction', async () => {
    const joined = db.beginsJoined!;
    const r = await counted(() =>
      db.transaction(async (tx) => {
        const a = await tx.query<{ x: string }>('SELECT txid_current()::text AS x, $1::int AS one', [1]);
        const b = await tx.query<{ x: string }>('SELECT txid_current()::text AS x, $1::int AS two', [2]);
        return [a.rows[0], b.rows[0]];
      }),
    );
    expect(r.trips).toBe(3);
    expect(db.beginsJoined).toBe(joined + 1);
    // the statement's own result, not BEGIN's
    expect(r.value[0]).toEqual({ x: r.value[1].x, one: '1' });
    expect(r.value[1].x).toBe(r.value[0].x);
  });

  it('a first statement without parameters sends BEGIN alone, as before', async () => {
    const joined = db.beginsJoined!;
    const r = await counted(() => db.transaction((tx) => tx.query('SELECT 1')));
    expect(r.trips).toBe(3);
    expect(db.beginsJoined).toBe(joined);
  });

  it('a transaction that sends nothing sends neither BEGIN nor COMMIT', async () => {
    const r = await counted(() => db.transaction(async () => 42));
    expect(r).toEqual({ value: 42, trips: 0 });
  });

  it("what the first statement wrote is rolled back with the transaction's error", async () => {
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO jb VALUES ($1, $2)', [1, 'kept?']);
        throw new Error('stop');
      }),
    ).rejects.toThrow('stop');
    expect((await db.query('SELECT count(*)::int AS n FROM jb')).rows).toEqual([{ n: '0' }]);
  });

  it('a first statement that fails at parse gives its own error, keeps nothing, and the connection goes on', async () => {
    const r = await counted(() => db.transaction((tx) => tx.query('INSERT INTO jb VALUES ($1, $2) RETURNIN id', [2, 'x'])).catch((e: unknown) => e));
    // (the position is in the statement's own text: 'RETURNIN' at its 32nd character)
    expect(r.value).toMatchObject({ code: '42601', position: '32' });
    // the batch (BEGIN, the failed statement) and the ROLLBACK
    expect(r.trips).toBe(2);
    expect((await client.query('SELECT 1 AS ok')).rows).toEqual([{ ok: '1' }]);
    const again = await counted(() => db.transaction((tx) => tx.query('INSERT INTO jb VALUES ($1, $2)', [2, 'two'])));
    expect(again.trips).toBe(2);
    expect((await db.query('SELECT v FROM jb WHERE id = $1', [2])).rows).toEqual([{ v: 'two' }]);
  });

  it('a first statement that fails as it runs gives its own error and keeps nothing', async () => {
    const e = await db
      .transaction(async (tx) => {
        await tx.query('INSERT INTO jb SELECT $1, (1 / $2::int)::text', [3, 0]);
        await tx.query('INSERT INTO jb VALUES ($1, $2)', [4, 'never']);
      })
      .catch((err: unknown) => err);
    expect(e).toMatchObject({ code: '22012' });
    expect((await db.query('SELECT count(*)::int AS n FROM jb WHERE id IN (3, 4)')).rows).toEqual([{ n: '0' }]);
  });
});

/**
 * A one-table commit of SQL sends its commit statement with its COMMIT on a
 * server (ops/commit.ts, Queryable.commitWith). When the commit goes on past
 * that statement after all (vsg.final_commit: HEAD moved meanwhile, 1,000 rows
 * or more changed by small statements), the statement fails, its transaction
 * rolls back, and the commit is made again the usual way: the same result as
 * without, the SQL's effect once.
 */
describe("a commit's statement with its COMMIT on postgres", () => {
  let t: Target;
  let repo: Repository;
  let other: Repository;
  const author = 'tester';

  beforeAll(async () => {
    t = await makeTarget('postgres');
    repo = await t.open({ init: true });
    other = await t.open();
    await repo.sql(`CREATE TABLE items (id int PRIMARY KEY, v text, n int NOT NULL DEFAULT 0);
      INSERT INTO items SELECT i, 'v' || i, 0 FROM generate_series(1, 2000) i; CREATE SEQUENCE runs;
      CREATE TABLE notes (id int PRIMARY KEY, v text)`);
    await repo.track('items', { author });
    // (a second table tracked: a commit naming no table finds the one its SQL changed)
    await repo.track('notes', { author });
  });
  /** How many times SQL that calls nextval('runs') once ran since the last call (a sequence is not rolled back). */
  let seen = 0;
  async function runs(): Promise<number> {
    const now = Number((await repo.sql('SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM runs')).rows[0][0]);
    const n = now - seen;
    seen = now;
    return n;
  }

  it('a commit that ends with its statement runs its SQL once', async () => {
    const r = await repo.commit({ table: 'items', sql: `UPDATE items SET v = 'once' WHERE id = 3; SELECT nextval('runs')`, author });
    expect(r.commit.updated).toBe(1);
    expect(await runs()).toBe(1);
  });
  afterAll(async () => {
    await other.close();
    await repo.close();
    await t.cleanup();
  });

  it('a commit naming no table that changes one of two tables ends with its statement and runs its SQL once', async () => {
    const r = await repo.commit({ sql: `UPDATE items SET v = 'unnamed' WHERE id = 8; SELECT nextval('runs')`, author });
    expect(r).toMatchObject({ table: 'items', commit: { updated: 1 } });
    expect(await runs()).toBe(1);
  });

  it('the same, 1,200 rows changed by small statements: made again, its checkpoint with it', async () => {
    const r = await repo.commit({
      sql: "UPDATE items SET n = n + 1 WHERE id <= 600; UPDATE items SET n = n + 1 WHERE id > 600 AND id <= 1200; SELECT nextval('runs')",
      author,
    });
    expect(r).toMatchObject({ table: 'items', commit: { updated: 1200 } });
    expect(await runs()).toBe(2);
    expect((await repo.sql('SELECT sum(n) FROM items')).rows).toEqual([['1200']]);
    expect((await repo.sql(`SELECT count(*) FROM vsg.checkpoints WHERE commit_id = '${r.commit.id}'`)).rows).toEqual([['1']]);
    await repo.commit({ table: 'items', sql: 'UPDATE items SET n = 0 WHERE n <> 0', author });
    await runs();
  });

  it("an application's work and operations joined in one transaction get no way to end it early", async () => {
    const seen: unknown[] = [];
    await repo.commit({ table: 'items', author, message: 'work' }, async (tx) => {
      seen.push((tx as { commitWith?: unknown }).commitWith);
      await tx.query(`UPDATE items SET v = 'work' WHERE id = 4`);
    });
    await repo.transaction(async (r, tx) => {
      seen.push((tx as { commitWith?: unknown }).commitWith);
      await r.commit({ table: 'items', author, sql: `UPDATE items SET v = 'joined' WHERE id = 5; SELECT nextval('runs')` });
      await r.commit({ table: 'items', author, sql: `UPDATE items SET v = 'joined' WHERE id = 6; SELECT nextval('runs')` });
    });
    expect(seen).toEqual([undefined, undefined]);
    // each joined commit ran its SQL once, and both landed, in order
    expect(await runs()).toBe(2);
    const log = (await repo.log({ table: 'items', limit: 3 })).commits;
    expect(log.map((c) => c.message)).toEqual([expect.stringMatching(/id = 6/), expect.stringMatching(/id = 5/), 'work']);
  });

  it('1,200 rows changed by small statements: made again, its checkpoint with it', async () => {
    const head = (await repo.log({ table: 'items', limit: 1 })).commits[0].id;
    const r = await repo.commit({
      table: 'items',
      sql: "UPDATE items SET n = n + 1 WHERE id <= 400; UPDATE items SET n = n + 1 WHERE id > 400 AND id <= 800; UPDATE items SET n = n + 1 WHERE id > 800 AND id <= 1200; SELECT nextval('runs')",
      author,
    });
    expect(r.commit.updated).toBe(1200);
    expect(r.commit.parents).toEqual([head]);
    // the SQL ran twice, its effect is there once
    expect(await runs()).toBe(2);
    expect((await repo.sql('SELECT sum(n) FROM items')).rows).toEqual([['1200']]);
    // more than half of the 2,000 rows changed: the commit has its checkpoint (src/core/checkpoint.ts)
    expect((await repo.sql(`SELECT count(*) FROM vsg.checkpoints WHERE commit_id = '${r.commit.id}'`)).rows).toEqual([['1']]);
    expect((await repo.verify()).ok).toBe(true);
  });

  it('HEAD moved by another commit while the SQL ran: made again on top of it', async () => {
    // (the first commit's UPDATE holds its row for a second, as the second commits another row)
    const slow = repo.commit({ table: 'items', sql: `UPDATE items SET v = 'slow' WHERE id = 1 AND pg_sleep(1) IS NOT NULL; SELECT nextval('runs')`, author });
    await new Promise((r) => setTimeout(r, 300));
    const fast = await other.commit({ table: 'items', sql: `UPDATE items SET v = 'fast' WHERE id = 2`, author });
    const made = await slow;
    expect(made.commit.parents).toEqual([fast.commit.id]);
    expect(made.commit.updated).toBe(1);
    expect(await runs()).toBe(2);
    expect((await repo.sql(`SELECT id, v FROM items WHERE id IN (1, 2) ORDER BY id`)).rows).toEqual([['1', 'slow'], ['2', 'fast']]);
    const log = (await repo.log({ table: 'items', limit: 2 })).commits.map((c) => c.id);
    expect(log).toEqual([made.commit.id, fast.commit.id]);
    expect((await repo.status({ table: 'items' }))[0].clean).toBe(true);
  });

  it('a checkout and a rollback whose writes net to nothing: made again without their COMMIT, and end as before', async () => {
    const kept = await repo.commit({ table: 'items', sql: `UPDATE items SET v = 'kept' WHERE id = 10`, author });
    // a trigger of the user's that keeps row 10 as it is: the write-back's UPDATE runs, and nothing changes
    await repo.sql(`CREATE FUNCTION keep_v() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN PERFORM nextval('runs'); NEW.v := OLD.v; RETURN NEW; END$$;
      CREATE TRIGGER keep_v BEFORE UPDATE ON items FOR EACH ROW WHEN (OLD.id = 10) EXECUTE FUNCTION keep_v()`);
    await runs();
    try {
      const co = await repo.checkout({ table: 'items', ref: 'HEAD~1', author });
      expect(co).toMatchObject({ commit: null, alreadyAt: true, applied: { inserted: 0, updated: 1, deleted: 0 } });
      // the commit statement found nothing made and failed: the checkout ran again, its COMMIT apart
      expect(await runs()).toBe(2);
      await expect(repo.rollback({ table: 'items', author })).rejects.toMatchObject({ code: 'E_NOTHING_TO_COMMIT' });
      expect(await runs()).toBe(2);
      expect((await repo.sql('SELECT v FROM items WHERE id = 10')).rows).toEqual([['kept']]);
      expect((await repo.log({ table: 'items', limit: 1 })).commits[0].id).toBe(kept.commit.id);
      expect((await repo.status({ table: 'items' }))[0].clean).toBe(true);
    } finally {
      await repo.sql('DROP TRIGGER keep_v ON items; DROP FUNCTION keep_v()');
    }
  });

  it('a one-row checkout and rollback take their COMMIT with their commit statement and run once', async () => {
    await repo.commit({ table: 'items', sql: `UPDATE items SET v = 'back' WHERE id = 11`, author });
    await repo.sql(`CREATE FUNCTION count_runs() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN PERFORM nextval('runs'); RETURN NEW; END$$;
      CREATE TRIGGER count_runs BEFORE UPDATE ON items FOR EACH ROW WHEN (OLD.id = 11) EXECUTE FUNCTION count_runs()`);
    await runs();
    try {
      const co = await repo.checkout({ table: 'items', ref: 'HEAD~1', author });
      expect(co.commit?.updated).toBe(1);
      expect(await runs()).toBe(1);
      const rb = await repo.rollback({ table: 'items', author });
      expect(rb.commit.updated).toBe(1);
      expect(await runs()).toBe(1);
      expect((await repo.sql('SELECT v FROM items WHERE id = 11')).rows).toEqual([['back']]);
      expect((await repo.verify()).ok).toBe(true);
    } finally {
      await repo.sql('DROP TRIGGER count_runs ON items; DROP FUNCTION count_runs()');
    }
  });
});
