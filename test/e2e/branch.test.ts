/**
 * Branches, switch, tags and the commit graph end to end through bin/vsg, on
 * the server and on PGlite. Commits and a merge that only build the history a
 * command then reads go through the library.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTarget, targetNames, vsg, vsgOk, withRepo, type Target } from '../helpers/targets.js';

// PGlite pays ~1.5 s per CLI run (more on a loaded machine)
vi.setConfig({ testTimeout: 300_000 });

async function rows(t: Target): Promise<string[]> {
  const r = await t.sql('SELECT id::text, name FROM items ORDER BY id');
  return (r.rows as { id: string; name: string }[]).map((x) => `${x.id}:${x.name}`);
}

describe.each(targetNames())('branches on %s', (name) => {
  let t: Target;
  beforeAll(async () => {
    t = await makeTarget(name);
    const repo = await t.open({ init: true });
    try {
      await repo.sql('CREATE TABLE items (id int PRIMARY KEY, name text)');
      await repo.sql("INSERT INTO items VALUES (1, 'one'), (2, 'two')");
      await repo.track('items', { author: 'tester' });
      await repo.commit({ table: 'items', sql: "UPDATE items SET name = 'uno' WHERE id = 1", author: 'tester', message: 'first' });
    } finally {
      await repo.close();
    }
  });
  afterAll(() => t.cleanup());

  it('creates and lists branches, the current one marked', async () => {
    await vsgOk(t, ['branch', 'feature']);
    await vsgOk(t, ['branch', 'old', 'HEAD~1']);
    const list = await vsgOk(t, ['branch']);
    expect(list.split('\n').filter(Boolean).map((l) => l.slice(0, 10).trimEnd())).toEqual(['  feature', '* main', '  old']);
    const json = JSON.parse(await vsgOk(t, ['branch', '--json']));
    expect(json.current).toBe('main');
    const taken = await vsg(t, ['branch', 'feature', '--verbose']);
    expect(taken.code).toBe(3);
    expect(taken.stderr).toMatch(/E_REF_EXISTS/);
    expect((await vsg(t, ['branch', 'bad name'])).code).toBe(2);
  });

  it('switches the live table to a branch and back, writing only differing rows', async () => {
    const sw = JSON.parse(await vsgOk(t, ['switch', 'old', '--json']));
    expect(sw).toMatchObject({ branch: 'old', applied: { inserted: 0, updated: 1, deleted: 0 } });
    expect(await rows(t)).toEqual(['1:one', '2:two']);
    const st = JSON.parse(await vsgOk(t, ['status', '--json']));
    expect(st[0]).toMatchObject({ branch: 'old', clean: true });
    // a commit on this branch stays on it
    await withRepo(t, (repo) => repo.commit({ table: 'items', author: 'tester', sql: "INSERT INTO items VALUES (3, 'three')" }));
    await vsgOk(t, ['switch', 'main']);
    expect(await rows(t)).toEqual(['1:uno', '2:two']);
  });

  it('refuses to switch with uncommitted changes unless --discard', async () => {
    await t.sql("UPDATE items SET name = 'dirty' WHERE id = 2");
    const r = await vsg(t, ['switch', 'old', '--verbose']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/E_UNCOMMITTED/);
    expect(await rows(t)).toEqual(['1:uno', '2:dirty']);
    await vsgOk(t, ['switch', 'old', '--discard']);
    expect(await rows(t)).toEqual(['1:one', '2:two', '3:three']);
    const st = JSON.parse(await vsgOk(t, ['status', '--json']));
    expect(st[0]).toMatchObject({ branch: 'old', clean: true });
  });

  it('switch -c creates a branch and keeps uncommitted changes when at the same commit', async () => {
    await t.sql("UPDATE items SET name = 'wip' WHERE id = 3");
    await vsgOk(t, ['switch', '-c', 'topic']);
    const st = JSON.parse(await vsgOk(t, ['status', '--json']));
    expect(st[0]).toMatchObject({ branch: 'topic', updated: 1 });
    await withRepo(t, (repo) => repo.commit({ author: 'tester', message: 'wip' }));
  });

  it('deletes branches: never the current one, an unmerged one only with -D', async () => {
    const cur = await vsg(t, ['branch', '-d', 'topic', '--verbose']);
    expect(cur.code).toBe(3);
    expect(cur.stderr).toMatch(/E_CURRENT_BRANCH/);
    await withRepo(t, (repo) => repo.switchMany({ branch: 'main' }));
    const unmerged = await vsg(t, ['branch', '-d', 'topic', '--verbose']);
    expect(unmerged.code).toBe(1);
    expect(unmerged.stderr).toMatch(/E_UNMERGED/);
    await vsgOk(t, ['branch', '-D', 'topic']);
    // feature's tip is main's: merged, so -d is enough
    await vsgOk(t, ['branch', '-d', 'feature']);
    const list = JSON.parse(await vsgOk(t, ['branch', '--json']));
    expect(list.branches.map((b: { name: string }) => b.name)).toEqual(['main', 'old']);
  });

  it('tags commits, and a tag works wherever a commit does', async () => {
    await vsgOk(t, ['tag', 'v1', 'HEAD~1']);
    await vsgOk(t, ['tag', 'v2']);
    const tags = JSON.parse(await vsgOk(t, ['tag', '--json']));
    expect(tags.map((x: { name: string }) => x.name)).toEqual(['v1', 'v2']);
    const d = JSON.parse(await vsgOk(t, ['diff', 'v1', 'v2', '--json']));
    expect(d.changes).toEqual([{ key: { id: '1' }, old: { id: '1', name: 'one' }, new: { id: '1', name: 'uno' } }]);
    const clash = await vsg(t, ['branch', 'v1']);
    expect(clash.code).toBe(3);
    await vsgOk(t, ['tag', '-d', 'v1']);
    expect(JSON.parse(await vsgOk(t, ['tag', '--json'])).map((x: { name: string }) => x.name)).toEqual(['v2']);
  });

  it('draws the commit graph like git log --graph, and as Graphviz dot', async () => {
    await withRepo(t, (repo) => repo.merge({ ref: 'old', author: 'tester', message: 'merge old' }));
    const g = await vsgOk(t, ['log', '--graph', '--oneline']);
    const lines = g.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\*   [0-9a-f]{7} \(HEAD -> main\) merge old$/);
    expect(lines[1]).toBe('|\\');
    expect(lines[2]).toMatch(/^\| \* [0-9a-f]{7} \(old\) INSERT/);
    expect(lines[3]).toMatch(/^\* \| [0-9a-f]{7} .*first$/);
    expect(lines[4]).toBe('|/');
    expect(lines[5]).toMatch(/^\* [0-9a-f]{7} track items$/);
    expect(lines).toHaveLength(6);
    const dot = await vsgOk(t, ['log', '--format', 'dot']);
    expect(dot).toMatch(/^digraph vsg \{/);
    expect(dot).toMatch(/"[0-9a-f]{64}" -> "[0-9a-f]{64}" \[style=dashed\];/);
    expect(dot.trimEnd().endsWith('}')).toBe(true);
  });

  it('a commit with a stale --parent fails with a hint to branch and merge', async () => {
    const r = await vsg(t, ['commit', '--parent', 'HEAD~1', "UPDATE items SET name = 'x' WHERE id = 2", '--verbose']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/E_STALE_PARENT/);
    expect(r.stderr).toMatch(/hint: .*branch and merge/);
  });
});
