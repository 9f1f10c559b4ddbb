/**
 * The runnable examples in examples/ (pg driver, Kysely) against real
 * PostgreSQL, run as a user runs them; and application context (vsg.author,
 * vsg.meta session settings) picked up by `vsg commit` on both databases.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTarget, root, run, targetNames, vsg, vsgOk, type RunResult, type Target } from '../helpers/targets.js';

function runExample(file: string, url: string): Promise<RunResult> {
  return run(path.join(root, 'examples', file), [], { cwd: root, env: { ...process.env, VSG_DATABASE_URL: url } });
}

describe.skipIf(!targetNames().includes('postgres'))('examples on postgres', () => {
  for (const example of ['pg/orders.mjs', 'kysely/orders.mjs']) {
    describe(example, () => {
      let t: Target;
      beforeAll(async () => {
        t = await makeTarget('postgres');
      });
      afterAll(() => t.cleanup());

      it('runs, and its commits carry the application author and metadata', async () => {
        const r = await runExample(example, t.url!);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        const repo = await t.open();
        try {
          const log = await repo.log({ table: 'orders' });
          const byMessage = Object.fromEntries(log.commits.map((c) => [c.message, c]));
          expect(byMessage['ship order 1']).toMatchObject({ author: 'shop-api', updated: 1 });
          expect(byMessage['ship order 1'].meta).toHaveProperty('request');
          expect(byMessage['new order 3']).toMatchObject({ author: 'shop-api', inserted: 1 });
          expect(byMessage['new order 3'].meta).not.toBeNull();
          // the rolled-back transaction left neither a commit nor a change
          expect(byMessage['cancel order 2']).toBeUndefined();
          const rows = await t.sql('SELECT id FROM orders ORDER BY id');
          expect(rows.rows.map((x) => Number(x.id))).toEqual([1, 2, 3]);
          // every change was committed: nothing left pending
          expect((await repo.status({ table: 'orders' }))[0].clean).toBe(true);
        } finally {
          await repo.close();
        }
        if (example.startsWith('pg/')) {
          const log = JSON.parse(await vsgOk(t, ['log', '-t', 'orders', '--json', '-n', '1']));
          expect(log.commits[0]).toMatchObject({ author: 'nightly-job', meta: { run: '2026-11-24' } });
        }
      });
    });
  }
});

describe.each(targetNames())('application context on %s', (name) => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget(name);
    const repo = await t.open({ init: true });
    try {
      await repo.sql('CREATE TABLE items (id int PRIMARY KEY, qty int)');
      await repo.sql('INSERT INTO items VALUES (1, 1), (2, 2), (3, 3)');
      await repo.track('items', { author: 'setup' });
    } finally {
      await repo.close();
    }
  });
  afterAll(() => t.cleanup());

  it('vsg commit takes the author and meta the writer set in its session', async () => {
    await t.sql(`SET vsg.author = 'billing-app'; SET vsg.meta = '{"request": "r-1", "ticket": "T-9"}'; UPDATE items SET qty = 10 WHERE id = 1; RESET vsg.author; RESET vsg.meta`);
    const out = JSON.parse(await vsgOk(t, ['commit', '-t', 'items', '--meta', 'ticket=T-10', '--json']));
    // --meta wins per key over the session's
    expect(out.commit).toMatchObject({ author: 'billing-app', meta: { request: 'r-1', ticket: 'T-10' } });
    const shown = await vsgOk(t, ['show', 'HEAD', '-t', 'items']);
    expect(shown).toContain('Author: billing-app');
    expect(shown).toContain('Meta:   request=r-1');
  });

  it('--author wins over the session author; writers that disagree keep the default', async () => {
    await t.sql(`SET vsg.author = 'app-a'; SET vsg.meta = 'job=7'; UPDATE items SET qty = 20 WHERE id = 2; RESET vsg.author; RESET vsg.meta`);
    const explicit = JSON.parse(await vsgOk(t, ['commit', '-t', 'items', '--author', 'carol', '--json']));
    expect(explicit.commit).toMatchObject({ author: 'carol', meta: { job: '7' } });

    await t.sql(`SET vsg.author = 'app-a'; SET vsg.meta = 'job=8'; UPDATE items SET qty = 30 WHERE id = 3; RESET vsg.author; RESET vsg.meta`);
    await t.sql(`SET vsg.author = 'app-b'; SET vsg.meta = 'job=9'; UPDATE items SET qty = 11 WHERE id = 1; RESET vsg.author; RESET vsg.meta`);
    const mixed = JSON.parse(await vsgOk(t, ['commit', '-t', 'items', '--json']));
    // VSG_AUTHOR of the test environment, and both jobs' metadata
    expect(mixed.commit).toMatchObject({ author: 'tester', meta: { job: ['8', '9'] } });
  });

  it('a commit with SQL ignores session settings of vsg itself', async () => {
    const r = await vsg(t, ['commit', '-t', 'items', '--json', 'UPDATE items SET qty = 0 WHERE id = 1']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).commit).toMatchObject({ author: 'tester', meta: null });
  });
});

describe.each(targetNames())('library transactions on %s', (name) => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget(name);
  });
  afterAll(() => t.cleanup());

  it('repo.transaction: several commits land together, or none does', async () => {
    const repo = await t.open({ init: true });
    try {
      await repo.sql('CREATE TABLE a (id int PRIMARY KEY, v int)');
      await repo.track('a', { author: 'setup' });
      await repo.transaction(async (r) => {
        await r.commit({ table: 'a', author: 'x', sql: 'INSERT INTO a VALUES (1, 1)' });
        await r.commit({ table: 'a', author: 'x', sql: 'INSERT INTO a VALUES (2, 2)' });
      });
      expect((await repo.log({ table: 'a' })).commits).toHaveLength(3);
      const failed = await repo
        .transaction(async (r) => {
          await r.commit({ table: 'a', author: 'x', sql: 'INSERT INTO a VALUES (3, 3)' });
          await r.commit({ table: 'a', author: 'x', sql: 'INSERT INTO a VALUES (1, 9)' }); // duplicate key
        })
        .catch((e: { code?: string }) => e);
      expect(failed).toMatchObject({ code: 'E_SQL' });
      expect((await repo.log({ table: 'a' })).commits).toHaveLength(3);
      expect((await repo.sql('SELECT count(*) FROM a')).rows).toEqual([['2']]);
      // a commit whose work throws leaves neither the change nor a commit
      const thrown = await repo
        .commit({ table: 'a', author: 'x', message: 'w' }, async (tx) => {
          await tx.query('INSERT INTO a VALUES (4, 4)');
          throw new Error('application failed');
        })
        .catch((e: Error) => e.message);
      expect(thrown).toBe('application failed');
      expect((await repo.status({ table: 'a' }))[0].clean).toBe(true);
      const ok = await repo.commit({ table: 'a', author: 'x', message: 'w' }, async (tx) => {
        await tx.query('INSERT INTO a VALUES (4, 4)');
        return 'done';
      });
      expect(ok).toMatchObject({ result: 'done', commit: { inserted: 1, message: 'w' } });
    } finally {
      await repo.close();
    }
  });
});
