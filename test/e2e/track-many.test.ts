/**
 * Tracking several tables at once, and every table of a schema, through
 * bin/vsg on both databases; the tables and the list of tracked ones (what
 * `vsg tables --json` prints) through the library.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idsNotInLog, makeTarget, targetNames, vsg, vsgOk, withRepo, type Target } from '../helpers/targets.js';

describe.each(targetNames())('vsg track with several tables on %s', (name) => {
  let t: Target;
  const tracked = async () => (await withRepo(t, (repo) => repo.tables())).map((r) => r.display).sort();
  beforeAll(async () => {
    t = await makeTarget(name);
    await withRepo(t, (repo) => repo.sql(`CREATE TABLE clients (id int PRIMARY KEY, name text);
      CREATE TABLE orders (id int PRIMARY KEY, client_id int REFERENCES clients ON DELETE CASCADE);
      CREATE TABLE notes (body text);
      INSERT INTO clients VALUES (1, 'a'), (2, 'b'); INSERT INTO orders VALUES (10, 1), (11, 1), (12, 2);
      CREATE SCHEMA billing;
      CREATE TABLE billing.invoices (id int PRIMARY KEY, total numeric);
      CREATE TABLE billing."Lines" (id int PRIMARY KEY, invoice int REFERENCES billing.invoices);
      CREATE TABLE billing.scratch (x int);
      INSERT INTO billing.invoices VALUES (1, 9.50)`), { init: true });
  });
  afterAll(() => t.cleanup());

  it('refuses the lot, changing nothing, when one named table cannot be tracked', async () => {
    const noKey = await vsg(t, ['track', 'clients', 'orders', 'notes']);
    expect(noKey.code).toBe(3);
    expect(noKey.stderr).toMatch(/^error: table 'notes' has no primary key$/m);
    const missing = await vsg(t, ['track', 'clients', 'nosuch', '--json']);
    expect(missing.code).toBe(3);
    expect(JSON.parse(missing.stderr).error.code).toBe('E_NO_TABLE');
    expect(await tracked()).toEqual([]);
    const none = await vsg(t, ['track']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/name a table to track, or --schema/);
  });

  it('tracks several tables in one command, each with a root commit of its rows', async () => {
    const out = await vsgOk(t, ['track', 'clients', 'orders', 'public.clients']);
    expect(out.trim().split('\n')).toEqual([
      // each table's ROOT commit is a part, not in the log: no id on its line
      'tracking clients on branch main: 2 rows',
      'tracking orders on branch main: 3 rows',
      // their ROOT commits are one commit across the tables
      expect.stringMatching(/^one commit across them: \[main [0-9a-f]{7}\] track clients, orders$/),
    ]);
    expect(await idsNotInLog(t, out)).toEqual([]);
    expect(await tracked()).toEqual(['clients', 'orders']);
    const again = await vsg(t, ['track', 'orders', 'clients']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: table 'orders' is already tracked$/m);
  });

  it('tracks every table of a schema that has a primary key, and says which it skipped', async () => {
    const r = JSON.parse(await vsgOk(t, ['track', '--schema', 'billing', '--json']));
    expect(r.tracked.map((x: { table: { display: string }; root: { inserted: number } }) => [x.table.display, x.root.inserted])).toEqual([
      ['billing."Lines"', 0],
      ['billing.invoices', 1],
    ]);
    expect(r.skipped).toEqual([{ table: 'billing.scratch', reason: 'no primary key' }]);
    expect(r.commit.parts.map((p: { id: string }) => p.id)).toEqual(r.tracked.map((x: { root: { id: string } }) => x.root.id));
    // Again: nothing left to do is no error, as a setup script expects.
    const again = await vsgOk(t, ['track', '--schema', 'billing']);
    expect(again.trim().split('\n')).toEqual([
      'skipped billing."Lines": tracked already',
      'skipped billing.invoices: tracked already',
      'skipped billing.scratch: no primary key',
    ]);
    const missing = await vsg(t, ['track', '--schema', 'nosuch']);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toMatch(/^error: schema 'nosuch' does not exist$/m);
    expect(await tracked()).toEqual(['billing."Lines"', 'billing.invoices', 'clients', 'orders']);
  });
});
