/**
 * The counting Db (src/db/counting.ts) against real databases: what it counts
 * is what node-postgres was asked to send, checked by counting underneath it,
 * on the client wrapClient drives, for a server and for PGlite.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { inject } from 'vitest';
import { countingDb, type CountingDb } from '../../src/db/counting.js';
import { rawText, wrapClient, type Db, type PgLikeClient } from '../../src/db/db.js';
import { targetNames } from '../helpers/targets.js';

/** The client wrapClient drives, counting every query it is asked to send. */
function wire(client: PgLikeClient): { client: PgLikeClient; texts: string[] } {
  const texts: string[] = [];
  return {
    texts,
    client: {
      query: (config: unknown, params?: unknown[]) => {
        texts.push(typeof config === 'string' ? config : (config as { text: string }).text);
        return client.query(config as string, params);
      },
    },
  };
}

async function connect(name: 'postgres' | 'pglite'): Promise<{ raw: PgLikeClient; end: () => Promise<void> }> {
  if (name === 'postgres') {
    const c = new pg.Client({ connectionString: inject('serverUrl') ?? undefined, types: rawText });
    await c.connect();
    return { raw: c, end: () => c.end() };
  }
  const [{ PGlite }, { createPgConfig }] = await Promise.all([import('@electric-sql/pglite'), import('@electric-sql/pglite/node-postgres')]);
  const lite = new PGlite();
  const c = new pg.Client({ ...(createPgConfig(lite) as object), types: rawText });
  await c.connect();
  return { raw: c, end: async () => { await c.end(); await lite.close(); } };
}

describe.each(targetNames())('counting Db on %s', (name) => {
  let db: CountingDb;
  let texts: string[];
  let end: () => Promise<void>;
  beforeAll(async () => {
    const c = await connect(name);
    end = c.end;
    const w = wire(c.raw);
    texts = w.texts;
    const real: Db = wrapClient(w.client, name, 'test', async () => undefined);
    db = countingDb(real);
    await db.query('CREATE TEMP TABLE k (id int PRIMARY KEY, v text)');
  });
  afterAll(async () => {
    await end();
  });

  /** What the wrapper counted must be exactly what reached the driver. */
  async function same<T>(fn: () => Promise<T>): Promise<{ value: T; count: number; sent: { text: string; inTransaction: boolean }[] }> {
    texts.length = 0;
    const m = await db.measure(fn);
    expect(m.sent.map((s) => s.text)).toEqual(texts);
    return m;
  }

  it('counts queries outside a transaction, one each, and passes results through', async () => {
    const m = await same(async () => {
      await db.query('INSERT INTO k VALUES ($1, $2)', [1, 'a']);
      return db.query<{ v: string }>('SELECT v FROM k WHERE id = $1', [1]);
    });
    expect(m.count).toBe(2);
    expect(m.value.rows).toEqual([{ v: 'a' }]);
    expect(m.sent.every((s) => !s.inTransaction)).toBe(true);
  });

  it('counts a transaction with its BEGIN and COMMIT', async () => {
    const m = await same(() =>
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO k VALUES (2, $1)', ['b']);
        await tx.query('UPDATE k SET v = $1 WHERE id = 2', ['c']);
        return 'done';
      }),
    );
    expect(m.value).toBe('done');
    expect(m.sent.map((s) => s.text)).toEqual(['BEGIN', 'INSERT INTO k VALUES (2, $1)', 'UPDATE k SET v = $1 WHERE id = 2', 'COMMIT']);
    expect(m.sent.every((s) => s.inTransaction)).toBe(true);
    expect((await db.query('SELECT v FROM k WHERE id = 2')).rows).toEqual([{ v: 'c' }]);
  });

  it('counts a failed transaction with its ROLLBACK, and the failing statement', async () => {
    texts.length = 0;
    db.reset();
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO k VALUES (3, $1)', ['x']);
        await tx.query('INSERT INTO k VALUES (3, $1)', ['duplicate']);
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(db.sent.map((s) => s.text)).toEqual(texts);
    expect(db.count).toBe(4);
    expect(db.sent.at(-1)?.text).toBe('ROLLBACK');
    expect((await db.query('SELECT count(*)::text AS n FROM k WHERE id = 3')).rows).toEqual([{ n: '0' }]);
  });

  it('sends nothing of its own for a nested transaction, and counts queries through the Db inside one', async () => {
    const m = await same(() =>
      db.transaction(async (tx) => {
        await db.transaction((inner) => inner.query('SELECT 1'));
        await db.query('SELECT 2');
        await tx.query('SELECT 3');
      }),
    );
    expect(m.sent.map((s) => s.text)).toEqual(['BEGIN', 'SELECT 1', 'SELECT 2', 'SELECT 3', 'COMMIT']);
  });

  it('counts a text of several statements as one round trip', async () => {
    const m = await same(() => db.query('SELECT 1; SELECT 2; SELECT 3'));
    expect(m.count).toBe(1);
  });

  it('keeps counting across calls until reset', async () => {
    db.reset();
    await db.query('SELECT 1');
    await db.transaction((tx) => tx.query('SELECT 1'));
    expect(db.count).toBe(4);
    db.reset();
    expect(db.count).toBe(0);
  });
});
