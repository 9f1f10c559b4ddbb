/**
 * Checkout across a completely different state through bin/vsg: the bulk
 * write-back path (a difference that is a large share of the table; the
 * library side, with refusals, foreign keys and triggers, is
 * test/integration/bulk-apply.test.ts). The CHECKOUT commit `vsg show` prints
 * holds exactly the rows that differ, and `vsg diff` agrees with it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTarget, targetNames, vsgOk, type Target } from '../helpers/targets.js';

// PGlite spawns cost seconds each on a busy machine.
vi.setConfig({ testTimeout: 300_000 });

describe.each(targetNames())('bulk checkout CLI on %s', (name) => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget(name);
    const repo = await t.open({ init: true });
    try {
      await repo.sql(`CREATE TABLE items (id int PRIMARY KEY, n numeric(12,2), t text);
        INSERT INTO items SELECT i, i / 4.0, md5(i::text) FROM generate_series(1, 300) i`);
      await repo.track('items', { author: 'alice' });
      await repo.sql('CREATE TABLE snap AS SELECT * FROM items');
      // every row but 30 updated, 30 deleted, 50 added
      await repo.commit({
        table: 'items',
        author: 'alice',
        message: 'rewrite',
        sql: `UPDATE items SET n = -n, t = upper(t) WHERE id % 10 <> 0; DELETE FROM items WHERE id % 10 = 5;
              INSERT INTO items SELECT i, 0, 'new' FROM generate_series(301, 350) i`,
      });
    } finally {
      await repo.close();
    }
  }, 120_000);
  afterAll(() => t.cleanup());

  it('show and diff of the CHECKOUT commit hold exactly the rows that differ', async () => {
    expect(await vsgOk(t, ['checkout', 'HEAD~1', '-t', 'items'])).toMatch(/30 inserted, 240 updated, 50 deleted/);
    const rest = await t.sql('SELECT count(*)::text AS n FROM ((TABLE items EXCEPT ALL TABLE snap) UNION ALL (TABLE snap EXCEPT ALL TABLE items)) d');
    expect(rest.rows).toEqual([{ n: '0' }]);
    const shown = JSON.parse(await vsgOk(t, ['show', 'HEAD', '-t', 'items', '--json']));
    expect(shown.commit).toMatchObject({ kind: 'CHECKOUT', inserted: 30, updated: 240, deleted: 50 });
    expect(shown.changes).toHaveLength(320);
    // the 30 rows the rewrite left alone are not in it: no delete-all + insert-all
    const keys = new Set<number>(shown.changes.map((c: { key: { id: string } }) => Number(c.key.id)));
    expect([...keys].filter((k) => k % 10 === 0 && k <= 300)).toEqual([]);
    const diff = JSON.parse(await vsgOk(t, ['diff', 'HEAD~1', 'HEAD', '-t', 'items', '--json']));
    expect(diff.stat).toMatchObject({ inserted: 30, updated: 240, deleted: 50 });
    expect(diff.changes).toEqual(shown.changes);
    expect(JSON.parse(await vsgOk(t, ['diff', 'HEAD~2', 'HEAD', '-t', 'items', '--json'])).changes).toEqual([]);
    expect(await vsgOk(t, ['status', '-t', 'items'])).toMatch(/nothing to commit, working table clean/);
    expect(await vsgOk(t, ['verify'])).toMatch(/^ok 1 table: /);
  });
});
