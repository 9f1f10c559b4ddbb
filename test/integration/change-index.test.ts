/**
 * A change row is found by its key through changes_key (table_id, key, seq),
 * and by its commit through the primary key (seq, key): one key's reads reach
 * that key's rows, never every row of a large commit they pass. Here the root
 * commit and a later commit each hold every row of the table, a CHECKOUT back
 * to the root is a state commit on the row's history (vsg.state_diff_key),
 * and each operation on one key (or on one small commit) must read a handful
 * of change rows, as PostgreSQL itself counts them (pg_stat_user_tables,
 * flushed before each reading).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';

const author = 'tester';
const ROWS = 3000;

/** Change rows of vsg.changes read so far on this connection's database (sequential and index fetches). */
async function changeRowsRead(repo: Repository): Promise<number> {
  // the counts of this session's last statements reach the shared statistics
  // when it next goes idle after this call (PostgreSQL 15 and later)
  await repo.db.query('SELECT pg_catalog.pg_stat_force_next_flush()');
  const { rows } = await repo.db.query<{ n: string }>(
    `SELECT (seq_tup_read + coalesce(idx_tup_fetch, 0))::text AS n FROM pg_catalog.pg_stat_user_tables WHERE relid = 'vsg.changes'::regclass`,
  );
  return Number(rows[0].n);
}

/** The change rows `op` read. */
async function readBy(repo: Repository, op: () => Promise<unknown>): Promise<number> {
  const before = await changeRowsRead(repo);
  await op();
  return (await changeRowsRead(repo)) - before;
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
});
