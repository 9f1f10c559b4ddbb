/**
 * `vsg restore` of several tables at once, through bin/vsg: -t repeated and
 * no -t (every tracked table), each table to its own HEAD or its own tag;
 * the text and JSON output; a partial restore that would break a foreign key
 * refused (exit 4, nothing changed); a cycle of keys that are not deferrable
 * refused (exit 3); -t given twice to a command that takes one table (exit 2).
 * Single-table restore keeps its output (test/e2e/timetravel.test.ts).
 * The library side, with the ordering cases, is test/integration/fk-write-back.test.ts.
 * Set-up (init, track, tags, commits that build history, resets) and the
 * status reads that check a state go through the library; the restores whose
 * output, exit code or stderr a test asserts are spawned.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { idsNotInLog, makeTarget, targetNames, vsg, vsgOk, withRepo, type Target } from '../helpers/targets.js';

// PGlite spawns cost seconds each on a busy machine.
vi.setConfig({ testTimeout: 300_000 });

const TABLES = ['clients', 'orders', 'order_items'];

describe.each(targetNames())('restore of several tables (CLI) on %s', (name) => {
  let t: Target;
  const differs = (a: string, b: string) => `(SELECT count(*)::text FROM ((TABLE ${a} EXCEPT ALL TABLE ${b}) UNION ALL (TABLE ${b} EXCEPT ALL TABLE ${a})) x) AS ${a}`;
  const snapshot = async () => {
    await t.sql(TABLES.map((x) => `DROP TABLE IF EXISTS snap_${x}; CREATE TABLE snap_${x} AS TABLE ${x};`).join('\n'));
  };
  // every table compared in one statement (one open of the embedded database)
  const sameAsSnapshot = async () => {
    const [n] = (await t.sql(`SELECT ${TABLES.map((x) => differs(x, `snap_${x}`)).join(', ')}`)).rows;
    for (const x of TABLES) expect(n[x], x).toBe('0');
  };
  /** the library on this target, closed before the next CLI run (PGlite admits one process) */
  const lib = <T>(f: (repo: Repository) => Promise<T>): Promise<T> => withRepo(t, f);
  /** what `vsg status --json` prints */
  const statusOf = () => lib((repo) => repo.status());

  beforeAll(async () => {
    t = await makeTarget(name);
    const repo = await t.open({ init: true });
    await repo.db.query(`CREATE TABLE clients (id int PRIMARY KEY, name text);
      CREATE TABLE orders (id int PRIMARY KEY, client_id int NOT NULL REFERENCES clients ON DELETE CASCADE, total numeric(10,2));
      CREATE TABLE order_items (order_id int REFERENCES orders ON DELETE CASCADE ON UPDATE CASCADE, line int, sku text, PRIMARY KEY (order_id, line));
      INSERT INTO clients VALUES (1, 'ann'), (2, 'bob'), (3, 'cy');
      INSERT INTO orders VALUES (10, 1, 5), (11, 1, 6), (20, 2, 7), (30, 3, 8);
      INSERT INTO order_items VALUES (10, 1, 'x'), (10, 2, 'y'), (11, 1, 'z'), (20, 1, 'w'), (30, 1, 'v')`);
    for (const x of TABLES) await repo.track(x, { author: 'tester' });
    await repo.close();
  }, 300_000);
  afterAll(() => t.cleanup());

  it('puts three related tables back to HEAD after an application wrote across them', async () => {
    await snapshot();
    await t.sql(`DELETE FROM clients WHERE id = 1; UPDATE orders SET id = 21 WHERE id = 20;
      INSERT INTO clients VALUES (4, 'dee'); INSERT INTO orders VALUES (40, 4, 1); INSERT INTO order_items VALUES (40, 1, 'q'), (21, 2, 'u');
      UPDATE clients SET name = 'BOB' WHERE id = 2`);
    expect((await statusOf()).every((s) => !s.clean)).toBe(true);
    const r = await vsg(t, ['restore', '-t', 'clients', '-t', 'orders', '-t', 'order_items']);
    expect(r.code, r.stderr).toBe(0);
    // one line naming HEAD as log lists it (the commit across the tables that tracked them), the rows per table:
    // 40 and 21 deleted (21 is 20 re-keyed), 10, 11 and 20 back; the items of 1's orders came back with them
    const [head] = (await lib((repo) => repo.log({ limit: 1 }))).commits;
    expect(r.stdout).toBe(
      `restored HEAD (${head.shortId}): clients: 1 inserted, 1 updated, 1 deleted · orders: 3 inserted, 2 deleted · order_items: 4 inserted, 3 deleted\nnothing to commit, every table clean\n`,
    );
    expect(await idsNotInLog(t, r.stdout)).toEqual([]);
    await sameAsSnapshot();
    expect((await statusOf()).every((s) => s.clean)).toBe(true);
  });

  it('restores every tracked table when no -t is given, with --json keyed by table', async () => {
    await t.sql(`DELETE FROM clients WHERE id = 3; INSERT INTO order_items VALUES (10, 3, 'new')`);
    const out = JSON.parse(await vsgOk(t, ['restore', '--json']));
    expect(Object.keys(out).sort()).toEqual([...TABLES].sort());
    expect(out.clients).toMatchObject({ table: 'clients', branch: 'main', applied: { inserted: 1, updated: 0, deleted: 0 }, reload: null, status: { clean: true } });
    expect(out.orders.applied).toEqual({ inserted: 1, updated: 0, deleted: 0 });
    expect(out.order_items.source.id).toBe(out.order_items.head);
    // each table's own commit in source; the repository's, as log lists it, in repoSource
    const [head] = (await lib((repo) => repo.log({ limit: 1 }))).commits;
    expect(TABLES.map((x) => out[x].repoSource)).toEqual([head.id, head.id, head.id]);
    await sameAsSnapshot();
  });

  it('goes to each table\'s own tag of one name, and refuses a name one table lacks', async () => {
    await lib(async (repo) => {
      for (const x of TABLES) await repo.createTag({ table: x, name: 'fixture' });
      await repo.commit({ table: 'clients', message: 'eve', sql: "INSERT INTO clients VALUES (5, 'eve')", author: 'tester' });
      await repo.commit({ table: 'orders', message: 'order 50', sql: 'INSERT INTO orders VALUES (50, 5, 9)', author: 'tester' });
    });
    const r = await vsgOk(t, ['restore', 'fixture', '-t', 'orders', '-t', 'clients']);
    expect(r).toMatch(/^restored [0-9a-f]{7}: orders: 1 deleted · clients: 1 deleted\norders: 1 uncommitted change against HEAD · clients: 1 uncommitted change against HEAD\n$/);
    expect(await idsNotInLog(t, r)).toEqual([]);
    await sameAsSnapshot();
    await lib(async (repo) => {
      await repo.restoreMany({ tables: ['clients', 'orders'] });
      await repo.deleteTag({ table: 'order_items', name: 'fixture' });
    });
    const lacking = await vsg(t, ['restore', 'fixture']);
    expect(lacking.code).toBe(3);
    expect(lacking.stderr).toContain("error: 'fixture' names no commit of 'order_items'");
    expect((await statusOf()).every((s) => s.clean)).toBe(true);
  });

  it('refuses a restore that would take the row a table left alone references: exit 4, constraint, table and key named, nothing changed', async () => {
    // client 9 is not at HEAD; live orders (not restored) reference it
    await t.sql(`INSERT INTO clients VALUES (9, 'nine'); INSERT INTO orders VALUES (90, 9, 1)`);
    for (const args of [['-t', 'clients', '-t', 'order_items'], ['-t', 'clients']]) {
      const r = await vsg(t, ['restore', ...args]);
      expect(r.code, r.stdout + r.stderr).toBe(4);
      const [first, hint] = r.stderr.trim().split('\n');
      expect(first).toContain("cannot write rows back to 'clients': foreign key orders_client_id_fkey of 'orders' would break");
      expect(first).toContain('(id)=(9)');
      expect(hint).toBe("hint: restore them together ('vsg restore -t clients -t orders'), or change the referencing rows first; nothing was changed");
    }
    const j = await vsg(t, ['restore', '-t', 'clients', '-t', 'order_items', '--json']);
    expect(JSON.parse(j.stderr).error).toMatchObject({ code: 'E_FK_VIOLATION', data: { table: 'clients', constraint: 'orders_client_id_fkey', referencing: 'orders' } });
    expect((await t.sql('SELECT (SELECT count(*)::text FROM clients WHERE id = 9) AS c, (SELECT count(*)::text FROM orders WHERE id = 90) AS o')).rows[0]).toEqual({ c: '1', o: '1' });
    // together, both go back: order 90 first, then client 9 (the CLI's restore of several tables is asserted above)
    const [gone, status] = await lib(async (repo) => {
      await repo.restoreMany({ tables: ['clients', 'orders'] });
      return [(await repo.db.query('SELECT count(*)::text AS n FROM orders WHERE id = 90')).rows[0].n, await repo.status()] as const;
    });
    expect(gone).toBe('0');
    expect(status.every((s) => s.clean)).toBe(true);
  });

  it('refuses a cycle of foreign keys that are not deferrable, naming tables and keys (exit 3)', async () => {
    await t.sql(`CREATE TABLE hen (id int PRIMARY KEY, egg int); CREATE TABLE egg (id int PRIMARY KEY, hen int REFERENCES hen);
      INSERT INTO hen VALUES (1, NULL); INSERT INTO egg VALUES (1, 1); ALTER TABLE hen ADD CONSTRAINT hen_egg_fkey FOREIGN KEY (egg) REFERENCES egg`);
    await lib(async (repo) => {
      await repo.track('hen', { author: 'tester' });
      await repo.track('egg', { author: 'tester' });
      await repo.db.query('INSERT INTO egg VALUES (2, 1)');
    });
    const r = await vsg(t, ['restore', '-t', 'hen', '-t', 'egg']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/^error: cannot write '(hen|egg)', '(hen|egg)' back: their foreign keys form a cycle that no order of writes satisfies \((egg_hen_fkey on 'egg'|hen_egg_fkey on 'hen'), (egg_hen_fkey on 'egg'|hen_egg_fkey on 'hen'); none deferrable\)\n/);
    expect(Number((await t.sql('SELECT count(*) AS n FROM egg')).rows[0].n)).toBe(2);
  });

  it('refuses -t given twice to a command that takes one table (exit 2)', async () => {
    const r = await vsg(t, ['log', '-t', 'clients', '-t', 'orders']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("this command works on one table; give -t once (got 'clients' and 'orders')");
    expect(r.stdout).toBe('');
  });
});
