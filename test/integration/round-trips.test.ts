/**
 * Round-trip budgets (issue 13): how many statements the library sends for one
 * operation, counted by a counting Db (src/db/counting.ts) around the real
 * one. What is counted: everything the call sends, from its first query to
 * its last, BEGIN and COMMIT included, and for commit the user's statement
 * too; not the opening of the repository (test/e2e/startup.test.ts covers
 * start-up). The counts are exact, so that a statement added by a change
 * fails here and has to be argued for; the ceilings are asserted
 * beside them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository, type Repository } from '../../src/index.js';
import { countingDb, type CountingDb } from '../../src/db/counting.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';

const author = 'tester';

describe.each(targetNames())('round trips per operation on %s', (name) => {
  let t: Target;
  let plain: Repository;
  let repo: Repository;
  let db: CountingDb;
  const counts: Record<string, number> = {};
  // On a server connection of vsg's own a transaction's BEGIN goes out with its
  // first statement, in one round trip (src/db/db.ts); the embedded database
  // sends it alone (no network: a call into the same process).
  const joined = name === 'postgres' ? 1 : 0;
  /** The round trips of an operation of one transaction that sends `framed` counting its BEGIN alone. */
  const inOneTx = (framed: number) => framed - joined;

  /**
   * Run one operation and check how many round trips it made: exactly
   * `exact`, and at most the issue's `ceiling` when it sets one.
   */
  async function expectTrips<T>(label: string, fn: () => Promise<T>, exact: number, ceiling?: number): Promise<T> {
    const r = await trips(label, fn);
    if (ceiling !== undefined) expect(exact).toBeLessThanOrEqual(ceiling);
    expect(r.count, r.texts.join('\n')).toBe(exact);
    // (where BEGIN joins the first statement, the count shows it there)
    if (joined && r.texts[0]?.startsWith('BEGIN')) expect(r.texts[0]).toMatch(/^BEGIN \+ /);
    return r.value;
  }

  /** Run one operation and return how many round trips it made (and what they were, on failure). */
  async function trips<T>(label: string, fn: () => Promise<T>): Promise<{ value: T; count: number; texts: string[] }> {
    const m = await db.measure(fn);
    counts[label] = m.count;
    return { value: m.value, count: m.count, texts: m.sent.map((s) => s.text.replace(/\s+/g, ' ').slice(0, 90)) };
  }

  beforeAll(async () => {
    t = await makeTarget(name);
    plain = await t.open({ init: true });
    await plain.sql(`CREATE TABLE items (id int PRIMARY KEY, v text); INSERT INTO items SELECT i, 'v' || i FROM generate_series(1, 100) i`);
    await plain.sql(`CREATE TABLE other (id int PRIMARY KEY, v text)`);
    await plain.track('items', { author });
    await plain.track('other', { author });
    db = countingDb(plain.db);
    repo = await openRepository({ db });
    // A few commits of history to read and go back to.
    for (let i = 1; i <= 5; i++) await repo.commit({ table: 'items', sql: `UPDATE items SET v = 'c${i}' WHERE id = ${i}`, author });
  });
  afterAll(async () => {
    // eslint-disable-next-line no-console
    console.log(`round trips on ${name}: ${JSON.stringify(counts)}`);
    await plain.close();
    await t.cleanup();
  });

  // (Each count below is as the embedded database sends it; on a server, the
  // BEGIN of each transaction goes with its next statement: inOneTx.)
  // BEGIN, resolve (the table's row shared) and the UPDATE in one statement
  // (vsg.run_statement), the branch lock with the shape after it (and the
  // transaction check) and the commit with its branch move in one statement,
  // COMMIT. On a server, COMMIT goes with the commit statement too (ops/commit.ts).
  it('commit of one statement', async () => {
    const r = await expectTrips('commit', () => repo.commit({ table: 'items', sql: `UPDATE items SET v = 'one' WHERE id = 7`, author, message: 'one row' }), inOneTx(4) - joined, 6);
    expect(r.commit.updated).toBe(1);
    if (joined) expect(db.sent.at(-1)?.text).toMatch(/^-- Make a commit[\s\S]* \+ COMMIT$/);
  });

  // Naming no table, two tracked: BEGIN, the statement that finds no table
  // named runs the UPDATE, lists the tables it changed and shares the row of
  // the one it changed, its commit (as above), COMMIT (on a server, with the commit).
  it('commit of one statement naming no table', async () => {
    const r = await expectTrips('commit (no table named)', () => repo.commit({ sql: `UPDATE items SET v = 'none' WHERE id = 9`, author }), inOneTx(4) - joined);
    expect(r.commit.updated).toBe(1);
    expect(r.table).toBe('items');
    if (joined) expect(db.sent.at(-1)?.text).toMatch(/^-- Make a commit[\s\S]* \+ COMMIT$/);
  });

  // Naming no table, changing both tracked tables: BEGIN, the statement that
  // runs the SQL and lists the two tables, each table's row shared and its
  // part committed, the parts named as one commit across them, COMMIT.
  it('commit of one statement naming no table, changing two tables', async () => {
    const r = await expectTrips('commit (no table named, two changed)', () => repo.commit({ sql: `UPDATE items SET v = 'both' WHERE id = 11; INSERT INTO other VALUES (11, 'both')`, author }), inOneTx(8));
    expect(r.parts?.map((p) => p.table)).toEqual(['items', 'other']);
  });

  // BEGIN, resolve-and-lock (the table's row shared, the branch's locked), the commit, COMMIT.
  it('commit of uncommitted changes', async () => {
    await plain.sql(`UPDATE items SET v = 'outside' WHERE id = 8`);
    const r = await expectTrips('commit (uncommitted)', () => repo.commit({ table: 'items', author }), inOneTx(4), 6);
    expect(r.commit.updated).toBe(1);
  });

  // As a commit of one statement, plus the commit that records an
  // application's earlier uncommitted change to the same row first: the
  // statement that would have made the commit finds the earlier change and
  // only locks the branch (the two commits follow, one statement each).
  it('commit of one statement over an uncommitted change to its row', async () => {
    await plain.sql(`UPDATE items SET v = 'app' WHERE id = 10`);
    const r = await expectTrips('commit (over uncommitted)', () => repo.commit({ table: 'items', sql: `UPDATE items SET v = 'ten' WHERE id = 10`, author }), inOneTx(6));
    expect(r.recorded?.updated).toBe(1);
    expect(r.commit.updated).toBe(1);
  });

  // BEGIN, lock, HEAD~1, plan, the source commit, temp table, fill, the
  // writes (ANALYZE, DELETE, UPDATE and INSERT in one: vsg.run_each), the
  // commit, COMMIT. On a server, COMMIT goes with the commit statement (ops/checkout.ts).
  it('checkout of a one-row change', async () => {
    const r = await expectTrips('checkout', () => repo.checkout({ table: 'items', ref: 'HEAD~1', author }), inOneTx(10) - joined, 12);
    expect(r.applied).toEqual({ inserted: 0, updated: 1, deleted: 0 });
    if (joined) expect(db.sent.at(-1)?.text).toMatch(/^-- Make a commit[\s\S]* \+ COMMIT$/);
  });

  // BEGIN, lock, the reverted commit, the row expressions, conflicts, the
  // foreign keys (a row elsewhere still referencing one taken away refuses
  // it), temp table, fill, the writes (DELETE, UPDATE and INSERT in one), the
  // commit, COMMIT (on a server with the commit statement, as checkout's).
  it('rollback of a one-row commit', async () => {
    const r = await expectTrips('rollback', () => repo.rollback({ table: 'items', author }), inOneTx(11) - joined, 13);
    expect(r.applied).toEqual({ inserted: 0, updated: 1, deleted: 0 });
    if (joined) expect(db.sent.at(-1)?.text).toMatch(/^-- Make a commit[\s\S]* \+ COMMIT$/);
  });

  // BEGIN, lock, HEAD's commit, plan, temp table, fill, the writes (ANALYZE,
  // DELETE, UPDATE and INSERT in one), forget no-ops with the counts, COMMIT
  // (on a server, with that last statement: ops/restore.ts).
  it('restore of one uncommitted row', async () => {
    await plain.sql(`UPDATE items SET v = 'scratch' WHERE id = 9`);
    const r = await expectTrips('restore', () => repo.restore({ table: 'items' }), inOneTx(9) - joined, 12);
    expect(r.applied).toEqual({ inserted: 0, updated: 1, deleted: 0 });
    expect(r.status.clean).toBe(true);
    if (joined) expect(db.sent.at(-1)?.text).toMatch(/ \+ COMMIT$/);
  });

  // the table, the first step of the walk (answering it, without merges, and saying there are no
  // FORGET or PRUNE entries to read), the commits
  it('log with limit 20', async () => {
    const r = await expectTrips('log', () => repo.log({ table: 'items', limit: 20 }), 3, 3);
    expect(r.commits.length).toBeGreaterThan(5);
  });

  // the table, then per table: uncommitted counts, merge in progress, shape now
  it('status of one table', async () => {
    const r = await expectTrips('status', () => repo.status({ table: 'items' }), 4);
    expect(r[0].clean).toBe(true);
  });

  // the tables, per table as above, and each HEAD's id in log (repoHead: sql/span/entries.sql)
  it('status of every table', async () => {
    const r = await expectTrips('status (all)', () => repo.status(), 8);
    expect(r).toHaveLength(2);
  });

  // the table, two refs, common ancestor, the rows, again the common ancestor, schema changes, columns
  it('diff of two commits', async () => {
    const r = await expectTrips('diff', () => repo.diff({ table: 'items', from: 'HEAD~3', to: 'HEAD~2' }), 8);
    expect(r.stat.updated).toBe(1);
  });

  // the table, the ref, the commit, its change set, columns, its schema change
  it('show', async () => {
    const r = await expectTrips('show', () => repo.show('HEAD~2', { table: 'items' }), 6);
    expect(r.changes).toHaveLength(1);
  });

  // As restore of one uncommitted row, and two more: the foreign keys touching
  // the table (sql/fk/graph.sql), and the check that no row of the table
  // referencing it loses its row (src/core/write-back-many.ts). Last: the key stays.
  it('restore of a table another table references', async () => {
    await plain.sql(`CREATE TABLE notes (id int PRIMARY KEY, item int REFERENCES items); INSERT INTO notes VALUES (1, 1)`);
    await plain.sql(`UPDATE items SET v = 'scratch' WHERE id = 9`);
    const r = await expectTrips('restore (referenced)', () => repo.restore({ table: 'items' }), inOneTx(11) - joined);
    expect(r.applied).toEqual({ inserted: 0, updated: 1, deleted: 0 });
    expect(r.status.clean).toBe(true);
  });
});
