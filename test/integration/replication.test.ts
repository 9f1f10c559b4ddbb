/**
 * vsg where PostgreSQL replicates (issue 19), on one private cluster
 * (wal_level = logical) and a streaming replica of it made with
 * `pg_basebackup -R`, each on its own port.
 *
 * Hot standby: a
 * repository with history (two tables, a tag, a branch, uncommitted changes)
 * is made on the primary; on the standby every read works and gives the
 * primary's answer, through the library and through the CLI; every write is
 * refused before anything is sent, with one line naming the standby
 * (E_READ_ONLY, exit 3).
 *
 * Logical-replication subscriber: two databases of the primary, a publication
 * in one and a subscription in the other (its slot made by hand, as a
 * subscription to the same cluster needs). Track refuses the subscribed table
 * (E_SUBSCRIBED) unless forced, doctor warns, and the replicated rows are
 * indeed not captured while the publisher's tracked copy records them.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRepository, type Repository } from '../../src/index.js';
import { countingDb } from '../../src/db/counting.js';
import { Repository as RepositoryClass } from '../../src/api/repository.js';
import { Cluster, clusterSupport } from '../helpers/cluster.js';
import { vsg } from '../helpers/targets.js';

const support = clusterSupport();
if ('reason' in support) process.stderr.write(`vsg tests: cannot run a private PostgreSQL cluster (${support.reason}); the hot standby tests are skipped\n`);

const author = 'tester';

async function q(url: string, text: string, params?: unknown[]): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(text, params);
  } finally {
    await c.end();
  }
}

describe.skipIf('reason' in support)('a hot standby (pg_basebackup -R, private cluster)', () => {
  let primary: Cluster;
  let standby: Cluster;
  let onPrimary: Repository;
  let onStandby: Repository;
  let cli: { cwd: string; env: NodeJS.ProcessEnv };

  beforeAll(async () => {
    if ('reason' in support) return;
    primary = await Cluster.create(support.runner, { conf: ['wal_level = logical', 'max_replication_slots = 4', 'max_wal_senders = 6'] });
    onPrimary = await openRepository({ url: primary.url(), init: true });
    await onPrimary.sql(`CREATE TABLE parent (id int PRIMARY KEY, name text);
      CREATE TABLE child (id int PRIMARY KEY, parent int REFERENCES parent, f float8, at timestamptz);
      INSERT INTO parent VALUES (1, 'a'), (2, 'b');
      INSERT INTO child VALUES (1, 1, 0.1, '2026-01-01 10:00:00.123456+00'), (2, 2, 1e300, '2026-01-02 00:00:00+00')`);
    await onPrimary.trackTables(['parent', 'child'], { author });
    await onPrimary.commit({ table: 'parent', author, message: 'rename', sql: `UPDATE parent SET name = 'bb' WHERE id = 2` });
    await onPrimary.createTags({ name: 'v1' });
    await onPrimary.createBranches({ name: 'exp' });
    await onPrimary.commit({ table: 'child', author, message: 'more', sql: `INSERT INTO child VALUES (3, 1, -0.5, now())` });
    await onPrimary.sql(`UPDATE child SET f = 2.5 WHERE id = 1`); // uncommitted
    standby = await primary.standby();
    // the standby has replayed everything the primary wrote
    const { rows } = await q(primary.url(), 'SELECT pg_current_wal_lsn()::text AS lsn');
    for (let i = 0; i < 200; i++) {
      const r = await q(standby.url(), `SELECT pg_last_wal_replay_lsn() >= '${rows[0].lsn}'::pg_lsn AS caught`);
      if (r.rows[0].caught) break;
      await new Promise((res) => setTimeout(res, 50));
    }
    onStandby = await openRepository({ url: standby.url() });
    cli = { cwd: standby.dir, env: { ...process.env, NO_COLOR: '1', PAGER: 'cat', VSG_AUTHOR: author, VSG_DATABASE_URL: standby.url() } };
  }, 120_000);

  afterAll(async () => {
    await onStandby?.close();
    await onPrimary?.close();
    standby?.destroy();
    primary?.destroy();
  }, 60_000);

  it('is known as a standby when vsg connects, the primary is not', () => {
    expect(onStandby.db.server).toEqual({ pooled: false, standby: true, citus: false });
    expect(onPrimary.db.server).toEqual({ pooled: false, standby: false, citus: false });
  });

  it('reads give the primary’s answers: log, show, diff, blame, export, status, verify, doctor', async () => {
    const both = async <T>(f: (r: Repository) => Promise<T>) => [await f(onPrimary), await f(onStandby)] as const;
    for (const [p, s] of [
      await both((r) => r.log()),
      await both((r) => r.show('HEAD')),
      await both((r) => r.show('v1', { table: 'parent' })),
      await both((r) => r.diffMany()),
      await both((r) => r.diff({ table: 'parent', from: 'v1', to: 'HEAD' })),
      await both((r) => r.blame({ table: 'child' })),
      await both((r) => r.rowsAt({ table: 'child', at: 'HEAD~1' })),
      await both((r) => r.status()),
      await both((r) => r.tables()),
      await both((r) => r.branchesByName()),
    ]) {
      expect(s).toEqual(p);
    }
    const v = await onStandby.verify();
    expect(v.ok).toBe(true);
    expect(v.commits).toBe((await onPrimary.verify()).commits);
    const d = await onStandby.doctor();
    expect(d.checks.filter((c) => c.status === 'fail')).toEqual([]);
    expect((await onStandby.status()).find((t) => t.table === 'child')?.updated).toBe(1);
  });

  it('read commands of the CLI exit 0 on the standby', async () => {
    for (const args of [['log', '--oneline'], ['show', 'HEAD'], ['diff'], ['blame', '-t', 'child'], ['export', '--format', 'json'], ['status'], ['verify'], ['doctor']]) {
      const r = await vsg(cli, args);
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: '' });
    }
  }, 60_000);

  it('every write of the library is refused before a statement is sent (E_READ_ONLY)', async () => {
    const counted = countingDb(onStandby.db);
    const repo = new RepositoryClass(counted);
    const writes: [string, () => Promise<unknown>][] = [
      ['init', () => repo.init()],
      ['track', () => repo.track('parent', { author })],
      ['trackTables', () => repo.trackTables(['parent'], { author })],
      ['untrack', () => repo.untrack('child')],
      ['commit', () => repo.commit({ table: 'child', author })],
      ['commit sql', () => repo.commit({ table: 'child', author, sql: 'UPDATE child SET f = 0' })],
      ['checkout', () => repo.checkout({ table: 'parent', ref: 'HEAD~1', author })],
      ['checkoutMany', () => repo.checkoutMany({ ref: 'v1', author })],
      ['restore', () => repo.restore({ table: 'child' })],
      ['restoreMany', () => repo.restoreMany()],
      ['rollback', () => repo.rollback({ table: 'parent', ref: 'HEAD', author })],
      ['createBranch', () => repo.createBranch({ table: 'parent', name: 'x' })],
      ['deleteBranch', () => repo.deleteBranch({ table: 'parent', name: 'exp' })],
      ['createBranches', () => repo.createBranches({ name: 'x' })],
      ['deleteBranches', () => repo.deleteBranches({ name: 'exp' })],
      ['switch', () => repo.switch({ table: 'parent', branch: 'exp' })],
      ['switchMany', () => repo.switchMany({ branch: 'exp' })],
      ['createTag', () => repo.createTag({ table: 'parent', name: 'v2' })],
      ['deleteTag', () => repo.deleteTag({ table: 'parent', name: 'v1' })],
      ['createTags', () => repo.createTags({ name: 'v2' })],
      ['deleteTags', () => repo.deleteTags({ name: 'v1' })],
      ['merge', () => repo.merge({ table: 'parent', ref: 'exp', author })],
      ['mergeContinue', () => repo.mergeContinue()],
      ['mergeAbort', () => repo.mergeAbort()],
      ['resolve', () => repo.resolve({ table: 'parent', key: '1', take: 'ours' })],
    ];
    for (const [name, write] of writes) {
      counted.reset();
      const err = await write().then(
        () => null,
        (e: { code?: string; message?: string }) => e,
      );
      expect({ name, code: err?.code, sent: counted.count }).toEqual({ name, code: 'E_READ_ONLY', sent: 0 });
      expect(err?.message).toBe(`'${standby.url()}' is a hot standby (pg_is_in_recovery() is true): vsg writes only on the primary`);
    }
    await expect(openRepository({ url: standby.url(), init: true })).rejects.toMatchObject({ code: 'E_READ_ONLY' });
  });

  it('write commands of the CLI refuse in one line naming the standby, exit 3, and change nothing', async () => {
    const before = await q(standby.url(), `SELECT (SELECT count(*) FROM vsg.commits)::int AS commits, (SELECT string_agg(f::text, ',' ORDER BY id) FROM child) AS f`);
    for (const args of [
      // a few spawns (each costs a process start); the library test above covers every write
      ['init'],
      ['commit', '-t', 'child', 'UPDATE child SET f = 0'],
      ['checkout', 'HEAD~1', '-t', 'parent'],
      ['merge', 'exp'],
      ['track', 'parent'],
      ['branch', 'b2'],
    ]) {
      const r = await vsg(cli, args);
      const lines = r.stderr.trim().split('\n');
      expect({ args, code: r.code, stdout: r.stdout, first: lines[0] }).toEqual({
        args,
        code: 3,
        stdout: '',
        first: `error: '${standby.url()}' is a hot standby (pg_is_in_recovery() is true): vsg writes only on the primary`,
      });
      expect(lines.length).toBe(2); // and a hint
    }
    const json = await vsg(cli, ['commit', '-t', 'child', '--json']);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stderr).error.code).toBe('E_READ_ONLY');
    const after = await q(standby.url(), `SELECT (SELECT count(*) FROM vsg.commits)::int AS commits, (SELECT string_agg(f::text, ',' ORDER BY id) FROM child) AS f`);
    expect(after.rows).toEqual(before.rows);
  }, 60_000);
  describe('a logical-replication subscriber', () => {
    let pub: string;
    let sub: string;
    let onSub: Repository;
    let onPub: Repository;
    const until = async (cond: () => Promise<boolean>) => {
      for (let i = 0; i < 200 && !(await cond()); i++) await new Promise((res) => setTimeout(res, 50));
    };
    const rows = async (url: string) => (await q(url, 'SELECT id FROM items ORDER BY id')).rows.map((r) => r.id as number);

    beforeAll(async () => {
      await q(primary.url(), 'CREATE DATABASE pub');
      await q(primary.url(), 'CREATE DATABASE sub');
      pub = primary.url('pub');
      sub = primary.url('sub');
      await q(pub, 'CREATE TABLE items (id int PRIMARY KEY, v text)');
      await q(pub, `INSERT INTO items VALUES (1, 'a')`);
      await q(pub, 'CREATE PUBLICATION pub_items FOR TABLE items');
      // a subscription to a database of its own cluster cannot make its slot: made here by hand
      await q(pub, `SELECT pg_create_logical_replication_slot('sub_items', 'pgoutput')`);
      await q(sub, 'CREATE TABLE items (id int PRIMARY KEY, v text)');
      await q(sub, `CREATE SUBSCRIPTION sub_items CONNECTION 'host=127.0.0.1 port=${primary.port} dbname=pub user=postgres' PUBLICATION pub_items WITH (create_slot = false, slot_name = 'sub_items')`);
      await until(async () => (await rows(sub)).length === 1);
      onSub = await openRepository({ url: sub, init: true });
      onPub = await openRepository({ url: pub, init: true });
    }, 60_000);

    afterAll(async () => {
      await onSub?.close();
      await onPub?.close();
    });

    it('track refuses the subscribed table, naming the subscription, and installs nothing', async () => {
      await expect(onSub.track('items', { author })).rejects.toMatchObject({ code: 'E_SUBSCRIBED', data: { table: 'items', subscriptions: ['sub_items'] } });
      const r = await vsg({ cwd: primary.dir, env: { ...cli.env, VSG_DATABASE_URL: sub } }, ['track', 'items']);
      expect(r.code).toBe(3);
      expect(r.stderr).toBe(
        "error: cannot track 'items': subscription sub_items replicates into it, and replicated rows fire no statement trigger, so vsg would record none of them\n" +
          'hint: track the table on the publisher, where its rows are written; --force tracks it here all the same (only local writes are recorded)\n',
      );
      expect((await q(sub, `SELECT count(*)::int AS n FROM pg_trigger WHERE tgrelid = 'items'::regclass`)).rows[0].n).toBe(0);
      expect(await onSub.tables()).toEqual([]);
    });

    it('forced, only local writes are captured (the apply worker fires no statement trigger); doctor warns', async () => {
      await onSub.track('items', { author, force: true });
      await q(pub, `INSERT INTO items VALUES (2, 'replicated')`);
      await q(sub, `INSERT INTO items VALUES (10, 'local')`);
      await until(async () => (await rows(sub)).includes(2));
      expect(await rows(sub)).toEqual([1, 2, 10]);
      const [status] = await onSub.status();
      expect({ inserted: status.inserted, updated: status.updated, deleted: status.deleted }).toEqual({ inserted: 1, updated: 0, deleted: 0 });
      const d = await onSub.doctor();
      expect(d.checks.filter((c) => c.name === 'subscription')).toEqual([
        expect.objectContaining({ status: 'warn', table: 'items', data: { subscriptions: ['sub_items'] } }),
      ]);
    });

    it('tracked on the publisher, the same rows are recorded', async () => {
      await onPub.track('items', { author });
      await onPub.commit({ table: 'items', author, message: 'on the publisher', sql: `INSERT INTO items VALUES (3, 'c')` });
      await until(async () => (await rows(sub)).includes(3));
      const log = await onPub.log({ table: 'items' });
      expect(log.commits.map((c) => [c.message, c.inserted])).toEqual([
        ['on the publisher', 1],
        ['track items', 2],
      ]);
    });
  });
});
