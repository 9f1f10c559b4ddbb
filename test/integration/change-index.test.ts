/**
 * A change row is found by its key through changes_key (table_id, key, seq)
 * (a root's rows, kept out of it, through the primary key at the root's seq:
 * vsg.key_changes), and by its commit through the primary key (seq, key): one key's reads reach
 * that key's rows, never every row of a large commit they pass. Here the root
 * commit and a later commit each hold every row of the table, a CHECKOUT back
 * to the root is a state commit on the row's history (vsg.state_diff_key),
 * and each operation on one key (or on one small commit) must read a handful
 * of change rows, as PostgreSQL itself counts them (pg_stat_user_tables,
 * flushed before each reading). The same counts hold diff, status, restore,
 * checkout and merge to the rows they change in a table whose root holds many
 * more: the bench times these at 1M rows, the suite keeps them from reading
 * the root again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/index.js';
import { readOf } from '../helpers/reads.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';

const author = 'tester';
const ROWS = 3000;

/** The change rows `op` read. */
async function readBy(repo: Repository, op: () => Promise<unknown>): Promise<number> {
  return (await readOf(repo, ['vsg.changes'], op))[0];
}

describe.each(targetNames())('one key of large commits, read through the key index, on %s', (name) => {
  let t: Target;
  let repo: Repository;
  let root: string;

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE TABLE items (id int PRIMARY KEY, v text); INSERT INTO items SELECT i, 'v' || i FROM generate_series(1, ${ROWS}) i`);
    root = (await repo.track('items', { author })).root.id;
    const all = await repo.commit({ table: 'items', sql: `UPDATE items SET v = v || '!'`, author });
    expect(all.commit.updated).toBe(ROWS);
    await repo.commit({ table: 'items', sql: `UPDATE items SET v = 'seven' WHERE id = 7`, author });
    const back = await repo.checkout({ table: 'items', ref: root, author });
    expect(back.commit?.kind).toBe('CHECKOUT');
    await repo.commit({ table: 'items', sql: `UPDATE items SET v = 'seven again' WHERE id = 7`, author });
  });
  afterAll(async () => {
    await repo?.close();
    await t.cleanup();
  });

  it('the history of one row passes the CHECKOUT state commit and reads that row\'s change rows alone', async () => {
    let log: Awaited<ReturnType<Repository['rowLog']>> | undefined;
    const read = await readBy(repo, async () => {
      log = await repo.rowLog({ table: 'items', key: '7' });
    });
    expect(log!.entries.map((e) => e.after?.v ?? null)).toEqual(['seven again', 'v7', 'seven', 'v7!', 'v7']);
    // the row's 4 change rows, and the state commit's path (the commits since
    // the root) probed for that key; not the 2 x 3,000 rows of the large commits
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(50);
  });

  it('blame of one row reads that row\'s change rows alone', async () => {
    const read = await readBy(repo, () => repo.blame({ table: 'items', key: '8' }));
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(50);
  });

  it('a diff of the last commit and its parent reads that commit\'s change rows alone', async () => {
    let d: Awaited<ReturnType<Repository['diff']>> | undefined;
    const read = await readBy(repo, async () => {
      d = await repo.diff({ table: 'items', from: 'HEAD~1', to: 'HEAD' });
    });
    expect(d!.changes.map((r) => [r.key, r.old?.v, r.new?.v])).toEqual([[{ id: '7' }, 'v7', 'seven again']]);
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(50);
  });

  it('forgetting one row blanks its change rows in the large commits, reading those alone', async () => {
    let forgot: Awaited<ReturnType<Repository['forget']>> | undefined;
    const read = await readBy(repo, async () => {
      forgot = await repo.forget({ table: 'items', keys: ['9'], message: 'erasure', author, vacuum: false });
    });
    // the root's row and the large commit's
    expect([forgot!.entry.keys, forgot!.entry.rows]).toEqual([1, 2]);
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(50);
    expect((await repo.verify()).ok).toBe(true);
  });

  it('a root\'s change rows are kept out of changes_key, and untrack --force still deletes them', async () => {
    const size = async () => Number((await repo.db.query<{ n: string }>(`SELECT pg_relation_size('vsg.changes_key')::text AS n`)).rows[0].n);
    const rowsOf = async (id: number) => Number((await repo.db.query<{ n: string }>('SELECT count(*)::text AS n FROM vsg.changes WHERE table_id = $1', [id])).rows[0].n);
    // (a column of a domain: the root stays change rows, hash scheme 2, as a table with a type of the user's does)
    await repo.sql(`CREATE DOMAIN vtext AS text; CREATE TABLE more (id int PRIMARY KEY, v vtext); INSERT INTO more SELECT i, 'v' || i FROM generate_series(1, ${ROWS}) i`);
    const before = await size();
    const tracked = await repo.track('more', { author });
    // 3,000 change rows, and not one index entry: the index is as large as before
    expect(await rowsOf(tracked.table.id)).toBe(ROWS);
    expect(await size()).toBe(before);
    // its rows are still found by key (vsg.key_changes)
    expect((await repo.rowLog({ table: 'more', key: '5' })).entries.map((e) => e.after?.v)).toEqual(['v5']);
    await repo.untrack('more', { force: true });
    expect(await rowsOf(tracked.table.id)).toBe(0);
    expect((await repo.verify()).ok).toBe(true);
  });
});

/**
 * Costs follow the change: in a table whose root commit holds ROWS_LARGE change
 * rows, each operation across a difference of DIFF rows reads a few change rows
 * and table rows per row of that difference, never the table or its root.
 */
const ROWS_LARGE = 25_000;
const DIFF = 250;
/** Table rows an operation may read per row it changes: the write-back reads each
 * changed row a few times (staging, constraint checks, the write itself). */
const PER_ROW = 8;

/** The change rows, table rows and pending rows `op` read. */
async function reads(repo: Repository, op: () => Promise<unknown>): Promise<{ changes: number; table: number; pending: number }> {
  const [changes, table, pending] = await readOf(repo, ['vsg.changes', 'public.big', 'vsg.pending'], op);
  return { changes, table, pending };
}

describe.each(targetNames())('costs follow the change in a %s table of 25,000 rows', (name) => {
  let t: Target;
  let repo: Repository;
  let before: string;
  let after: string;

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE TABLE big (id int PRIMARY KEY, v text, n int); INSERT INTO big SELECT i, 'v' || i, 0 FROM generate_series(1, ${ROWS_LARGE}) i`);
    await repo.track('big', { author });
    before = (await repo.commit({ table: 'big', sql: `UPDATE big SET n = 1 WHERE id <= ${DIFF}`, author })).commit.id;
    after = (await repo.commit({ table: 'big', sql: `UPDATE big SET v = v || '!' WHERE id BETWEEN 10001 AND ${10000 + DIFF}`, author })).commit.id;
  });
  afterAll(async () => {
    await repo?.close();
    await t.cleanup();
  });

  it('a diff of two commits reads the rows between them', async () => {
    let d: Awaited<ReturnType<Repository['diff']>> | undefined;
    const r = await reads(repo, async () => {
      d = await repo.diff({ table: 'big', from: before, to: after });
    });
    expect(d!.changes).toHaveLength(DIFF);
    expect([r.changes, r.table]).toEqual([DIFF, 0]);
  });

  it('a status of uncommitted changes reads their pending rows, neither the table nor its history', async () => {
    await repo.db.query(`UPDATE big SET n = 2 WHERE id BETWEEN 20001 AND ${20000 + DIFF}`);
    let st: Awaited<ReturnType<Repository['status']>> | undefined;
    const r = await reads(repo, async () => {
      st = await repo.status({ table: 'big' });
    });
    expect([st![0].clean, st![0].updated]).toEqual([false, DIFF]);
    expect([r.changes, r.table]).toEqual([0, 0]);
    expect(r.pending).toBeGreaterThanOrEqual(DIFF);
    expect(r.pending).toBeLessThanOrEqual(PER_ROW * DIFF);
  });

  it('a restore of uncommitted changes reads those rows', async () => {
    const r = await reads(repo, () => repo.restore({ table: 'big' }));
    expect((await repo.status({ table: 'big' }))[0].clean).toBe(true);
    expect(r.changes).toBeLessThanOrEqual(DIFF);
    expect(r.table).toBeGreaterThanOrEqual(DIFF);
    expect(r.table).toBeLessThanOrEqual(PER_ROW * DIFF);
  });

  it('a checkout across one commit reads that commit\'s rows', async () => {
    const r = await reads(repo, () => repo.checkout({ table: 'big', ref: before, author }));
    const { rows } = await repo.db.query(`SELECT count(*)::int AS n FROM big WHERE v LIKE '%!'`);
    expect(Number(rows[0].n)).toBe(0);
    expect(r.changes).toBe(DIFF);
    expect(r.table).toBeGreaterThanOrEqual(DIFF);
    expect(r.table).toBeLessThanOrEqual(PER_ROW * DIFF);
  });

  it('a merge of two branches reads their changes', async () => {
    await repo.switch({ table: 'big', branch: 'topic', create: true });
    await repo.commit({ table: 'big', sql: `UPDATE big SET n = 3 WHERE id BETWEEN 5001 AND ${5000 + DIFF}`, author });
    await repo.switch({ table: 'big', branch: 'main' });
    await repo.commit({ table: 'big', sql: `UPDATE big SET n = 4 WHERE id BETWEEN 15001 AND ${15000 + DIFF}`, author });
    const r = await reads(repo, () => repo.merge({ table: 'big', ref: 'topic', author }));
    const { rows } = await repo.db.query(`SELECT n, count(*)::int AS c FROM big WHERE n IN (3, 4) GROUP BY n ORDER BY n`);
    expect(rows.map((x) => [Number(x.n), Number(x.c)])).toEqual([[3, DIFF], [4, DIFF]]);
    // each branch's commit since the merge base
    expect(r.changes).toBe(2 * DIFF);
    expect(r.table).toBeGreaterThanOrEqual(DIFF);
    expect(r.table).toBeLessThanOrEqual(PER_ROW * DIFF);
  });

  it('a checkout across a commit of every row reloads the table from its checkpoint, reading neither the root\'s change rows nor that commit\'s', async () => {
    const head = (await repo.status({ table: 'big' }))[0].head!;
    await repo.commit({ table: 'big', sql: `UPDATE big SET n = n + 10`, author });
    const r = await reads(repo, () => repo.checkout({ table: 'big', ref: head, author }));
    const { rows } = await repo.db.query(`SELECT count(*)::int AS n FROM big WHERE n >= 10`);
    expect(Number(rows[0].n)).toBe(0);
    // the target state is a checkpoint's and the commits between the two, each
    // of DIFF rows; not the root's rows or the every-row commit's
    expect(r.changes).toBeGreaterThan(0);
    expect(r.changes).toBeLessThanOrEqual(6 * DIFF);
    expect(r.table).toBeLessThanOrEqual(PER_ROW * ROWS_LARGE);
  });
});
