/**
 * The core commands end to end, through bin/vsg, on the server and on PGlite;
 * the database they start from, and a change an application makes, through
 * the library and plain SQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTarget, targetNames, vsg, vsgOk, withRepo, type Target } from '../helpers/targets.js';

describe.each(targetNames())('core CLI on %s', (name) => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget(name);
    await withRepo(t, (repo) => repo.sql("CREATE TABLE clients (id int PRIMARY KEY, name text NOT NULL, credit numeric(12,2)); INSERT INTO clients VALUES (1, 'Ann', 10), (2, 'Bob', 20)"), { init: true });
  });
  afterAll(() => t.cleanup());

  it('tracks a table with a root commit of its rows', async () => {
    const out = await vsgOk(t, ['track', 'clients']);
    expect(out).toMatch(/^tracking clients on branch main \[[0-9a-f]{7}\] 2 rows/);
  });

  it('commits SQL and prints a git-like summary', async () => {
    const out = await vsgOk(t, ['commit', '-t', 'clients', '-m', 'raise Ann', "UPDATE clients SET credit = 15 WHERE id = 1"]);
    expect(out.trim()).toMatch(/^\[main [0-9a-f]{7}\] UPDATE clients: 1 updated$/);
  });

  it('shows uncommitted changes made outside vsg in status and diff', async () => {
    await t.sql('DELETE FROM clients WHERE id = 2');
    const st = JSON.parse(await vsgOk(t, ['status', '--json']));
    expect(st).toEqual([expect.objectContaining({ table: 'clients', branch: 'main', inserted: 0, updated: 0, deleted: 1, clean: false })]);
    const d = JSON.parse(await vsgOk(t, ['diff', '--json']));
    expect(d.changes).toEqual([{ key: { id: '2' }, old: { id: '2', name: 'Bob', credit: '20.00' }, new: null }]);
    const r = await vsg(t, ['status', '--exit-code']);
    expect(r.code).toBe(1);
  });

  it('the only table\'s name where a commit goes (vsg log clients) says it is the table', async () => {
    const r = await vsg(t, ['log', 'clients']);
    expect([r.code, r.stderr]).toEqual([3, "error: 'clients' is not a commit, branch or tag, but a tracked table\nhint: to name the table, give -t clients\n"]);
  });
});
