/**
 * A checkpoint taken after a large commit is a cache, kept UNLOGGED: no WAL
 * for a copy of the whole table. A crash empties it (PostgreSQL resets an
 * unlogged table at recovery), and a reload must then pass it over: it reads
 * an older checkpoint (the root's, logged, which is history) and corrects it
 * from history, so the table holds exactly the commit's rows; the next
 * checkpoint taken drops it. A private
 * PostgreSQL cluster (never the shared server of the other suites), stopped
 * with `pg_ctl stop -m immediate` and started again.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository, type Repository } from '../../src/index.js';
import { Cluster, clusterSupport } from '../helpers/cluster.js';

const support = clusterSupport();
if ('reason' in support) process.stderr.write(`vsg tests: cannot run a private PostgreSQL cluster (${support.reason}); the checkpoint-crash test is skipped\n`);

describe.skipIf('reason' in support)('a checkpoint emptied by a crash (private cluster)', () => {
  let cluster: Cluster;
  const author = 'ann';
  const ROWS = 3000;

  beforeAll(async () => {
    if ('reason' in support) return;
    cluster = await Cluster.create(support.runner);
  }, 120_000);
  afterAll(() => cluster?.destroy());

  async function withRepo<T>(fn: (repo: Repository) => Promise<T>): Promise<T> {
    const repo = await openRepository({ url: cluster.url(), init: true });
    try {
      return await fn(repo);
    } finally {
      await repo.close();
    }
  }
  async function q<R extends Record<string, unknown>>(text: string): Promise<R[]> {
    const c = new pg.Client({ connectionString: cluster.url() });
    await c.connect();
    try {
      return (await c.query<R>(text)).rows;
    } finally {
      await c.end();
    }
  }
  /** each checkpoint's commit, whether it is the root's, its persistence and whether its file holds pages */
  const checkpoints = () =>
    q<{ commit_id: string; root: boolean; persistence: string; filled: boolean }>(
      `SELECT k.commit_id, coalesce(k.root, false) AS root, c.relpersistence::text AS persistence, pg_relation_size(c.oid) > 0 AS filled
       FROM vsg.checkpoints k JOIN pg_class c ON c.oid = to_regclass(format('vsg.%I', k.relname)) ORDER BY coalesce(k.root, false) DESC, k.relname`,
    );
  const live = async () => (await q<{ id: number; v: string }>('SELECT id, v FROM t ORDER BY id')).map((r) => `${r.id}=${r.v}`);
  const expected = Array.from({ length: ROWS }, (_, i) => `${i + 1}=v${i + 1}+`);

  it('is passed over by a reload, which reads the root\'s and history instead: the table holds the commit\'s rows', async () => {
    const { root, big } = await withRepo(async (repo) => {
      await repo.sql(`CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, ${ROWS}) g`);
      const root = (await repo.track('t', { author })).root.id;
      // every row: a checkpoint after it
      const big = (await repo.commit({ table: 't', author, sql: `UPDATE t SET v = v || '+'` })).commit.id;
      await repo.commit({ table: 't', author, sql: 'DELETE FROM t WHERE id <= 10' });
      // before the crash, a reload reads the checkpoint of the commit itself
      const before = await repo.checkout({ table: 't', ref: big, author, reload: 'always' });
      expect(before.reload).toMatchObject({ checkpoint: big, corrected: 0 });
      expect(await live()).toEqual(expected);
      await repo.commit({ table: 't', author, sql: 'DELETE FROM t WHERE id <= 10' });
      return { root, big };
    });
    expect(await checkpoints()).toEqual([
      { commit_id: root, root: true, persistence: 'p', filled: true },
      { commit_id: big, root: false, persistence: 'u', filled: true },
    ]);

    cluster.stop('immediate');
    cluster.start();
    // the crash emptied the unlogged checkpoint; the root's stays
    expect((await checkpoints()).map((k) => k.filled)).toEqual([true, false]);

    await withRepo(async (repo) => {
      const after = await repo.checkout({ table: 't', ref: big, author, reload: 'always' });
      expect(after.reload).toMatchObject({ checkpoint: root, corrected: ROWS });
      expect(await live()).toEqual(expected);
      expect((await repo.verify()).problems).toEqual([]);
      // the next commit that takes a checkpoint drops the emptied one
      const again = (await repo.commit({ table: 't', author, sql: `UPDATE t SET v = v || '!'` })).commit.id;
      expect(await checkpoints()).toEqual([
        { commit_id: root, root: true, persistence: 'p', filled: true },
        { commit_id: again, root: false, persistence: 'u', filled: true },
      ]);
      expect(await q(`SELECT relname FROM pg_class WHERE relnamespace = 'vsg'::regnamespace AND relname LIKE 'checkpoint\\_%'`)).toHaveLength(1);
    });
  }, 300_000);
});
