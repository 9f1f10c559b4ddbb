/**
 * A commit with SQL never takes other writers' changes silently: an
 * application's uncommitted change to a row the statement changes is recorded
 * first, as its own commit under the application's vsg.author and vsg.meta,
 * and the statement's commit holds the statement's change alone. Through
 * bin/vsg and the library, on both databases. The commands under test are
 * spawned; set-up and the log, show, status and diff reads that check what
 * they left go through the library (the objects those commands print with
 * --json), one open instead of a CLI start each.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/index.js';
import { idsNotInLog, makeTarget, targetNames, vsg, vsgOk, withRepo, type Target } from '../helpers/targets.js';

/** An application's change, made outside vsg under its own author and metadata. */
const APP = (sql: string) => `BEGIN; SET LOCAL vsg.author = 'app'; SET LOCAL vsg.meta = 'ticket=42'; ${sql}; COMMIT`;

describe.each(targetNames())('commit over other writers\' uncommitted changes on %s', (name) => {
  let t: Target;
  /** the library on this target, closed before the next CLI run (PGlite admits one process) */
  const lib = <T>(f: (repo: Repository) => Promise<T>): Promise<T> => withRepo(t, f);
  /** the newest `n` commits, newest first (`vsg log --json -n n`) */
  const newest = (repo: Repository, n: number) => repo.log({ limit: n }).then((l) => l.commits);
  const credit = async (id: number) => Number((await t.sql(`SELECT credit FROM clients WHERE id = ${id}`)).rows[0].credit);

  beforeAll(async () => {
    t = await makeTarget(name);
    await withRepo(t, async (repo) => {
      await repo.sql('CREATE TABLE clients (id int PRIMARY KEY, credit int NOT NULL); INSERT INTO clients SELECT g, g * 10 FROM generate_series(1, 10) g');
      await repo.track('clients', { author: 'tester' });
    }, { init: true });
  });
  afterAll(() => t.cleanup());

  it('records the application\'s change to the row first, under its author; the statement\'s commit holds its own change', async () => {
    await t.sql(APP('UPDATE clients SET credit = 77 WHERE id = 7; UPDATE clients SET credit = 88 WHERE id = 8'));
    const out = await vsgOk(t, ['commit', '-m', 'credit 7', 'UPDATE clients SET credit = 75 WHERE id = 7']);
    const lines = out.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^\[main [0-9a-f]{7}\] UPDATE clients: 1 updated \(earlier uncommitted changes by app, recorded first\)$/);
    expect(lines[1]).toMatch(/^\[main [0-9a-f]{7}\] UPDATE clients: 1 updated$/);

    const [[head, first], shownFirst, shownHead, [st], diff] = await lib(async (repo) => {
      const [h, f] = await newest(repo, 2);
      return [[h, f], await repo.show(f.id), await repo.show(h.id), await repo.status(), await repo.diff()] as const;
    });
    expect(lines[0]).toContain(first.shortId);
    expect(lines[1]).toContain(head.shortId);
    expect(head.parents).toEqual([first.id]);
    expect(first).toMatchObject({ author: 'app', message: 'record uncommitted changes', statement: null, meta: { ticket: '42' } });
    expect(head).toMatchObject({ author: 'tester', message: 'credit 7', statement: 'UPDATE clients SET credit = 75 WHERE id = 7', meta: null });
    expect(shownFirst.changes).toEqual([{ key: { id: '7' }, old: { id: '7', credit: '70' }, new: { id: '7', credit: '77' } }]);
    expect(shownHead.changes).toEqual([{ key: { id: '7' }, old: { id: '7', credit: '77' }, new: { id: '7', credit: '75' } }]);

    // row 8 was not touched by the statement: still uncommitted
    expect(st).toMatchObject({ updated: 1, clean: false });
    expect(diff.changes.map((c) => c.key)).toEqual([{ id: '8' }]);

    // rolling back the statement's commit undoes the statement alone
    const verified = await lib(async (repo) => {
      await repo.rollback({ ref: head.id, author: 'tester' });
      return (await repo.verify()).ok;
    });
    expect(await credit(7)).toBe(77);
    expect(await credit(8)).toBe(88);
    expect(verified).toBe(true);
  });

  it('--json carries the earlier commit as `recorded`; without earlier changes there is none', async () => {
    const r = JSON.parse(await vsgOk(t, ['commit', '--json', '-m', 'credit 8', 'UPDATE clients SET credit = 80 WHERE id = 8']));
    expect(r.recorded).toMatchObject({ author: 'app', message: 'record uncommitted changes', updated: 1, refs: [] });
    expect(r.commit.parents).toEqual([r.recorded.id]);
    expect(r.commit).toMatchObject({ author: 'tester', updated: 1, refs: [{ name: 'main', kind: 'branch' }] });
    const plain = JSON.parse(await vsgOk(t, ['commit', '--json', 'UPDATE clients SET credit = 81 WHERE id = 8']));
    expect(plain.recorded).toBeUndefined();
    expect(plain.commit.parents).toEqual([r.commit.id]);
    expect((await lib((repo) => repo.status()))[0].clean).toBe(true);
  });

  it('a statement undoing the application\'s change records both, not nothing', async () => {
    await t.sql(APP('UPDATE clients SET credit = 99 WHERE id = 9'));
    // the net change since HEAD is none; the application's change and its undoing are both history
    const out = await vsgOk(t, ['commit', 'UPDATE clients SET credit = 90 WHERE id = 9']);
    expect(out.trim().split('\n')).toHaveLength(2);
    const [first, head] = await lib(async (repo) => {
      const [h, f] = await newest(repo, 2);
      return [await repo.show(f.id), await repo.show(h.id)];
    });
    expect(first.changes[0].new).toEqual({ id: '9', credit: '99' });
    expect(head.changes[0].new).toEqual({ id: '9', credit: '90' });
  });

  it('a failing statement records nothing, the application\'s change included', async () => {
    await t.sql(APP('UPDATE clients SET credit = 33 WHERE id = 3'));
    const headId = () => lib(async (repo) => (await newest(repo, 1))[0].id);
    const head = await headId();
    const r = await vsg(t, ['commit', 'UPDATE clients SET credit = 30 WHERE id = 3; SELECT 1 / 0']);
    expect(r.code).toBe(4);
    expect(await headId()).toBe(head);
    expect(await credit(3)).toBe(33);
    expect((await lib((repo) => repo.status()))[0]).toMatchObject({ updated: 1, clean: false });
    // recorded as `vsg commit` without SQL records it: under the application's author
    expect(JSON.parse(await vsgOk(t, ['commit', '--json'])).commit).toMatchObject({ author: 'app', updated: 1 });
  });

  it('the library returns the earlier commit too, for SQL and for work', async () => {
    const repo = await t.open();
    try {
      await repo.sql(APP('UPDATE clients SET credit = 11 WHERE id = 1; UPDATE clients SET credit = 22 WHERE id = 2'));
      const a = await repo.commit({ author: 'lib', sql: 'UPDATE clients SET credit = 12 WHERE id = 1' });
      expect(a.recorded).toMatchObject({ author: 'app', updated: 1, meta: { ticket: '42' } });
      expect(a.commit.parents).toEqual([a.recorded?.id]);
      const b = await repo.commit({ author: 'lib' }, async (tx) => {
        await tx.query('UPDATE clients SET credit = 23 WHERE id = 2');
        return 'done';
      });
      expect(b.result).toBe('done');
      expect(b.recorded).toMatchObject({ author: 'app', updated: 1 });
      expect((await repo.show(b.commit.id)).changes).toEqual([{ key: { id: '2' }, old: { id: '2', credit: '22' }, new: { id: '2', credit: '23' } }]);
      expect((await repo.status())[0].clean).toBe(true);
      expect((await repo.verify()).ok).toBe(true);
    } finally {
      await repo.close();
    }
  });

  it('across tables: each table\'s earlier changes are a commit of that table, named by its table and its id in log', async () => {
    await t.sql('CREATE TABLE notes (id int PRIMARY KEY, body text); INSERT INTO notes VALUES (1, \'a\')');
    await lib((repo) => repo.track('notes', { author: 'tester' }));
    await t.sql(APP("UPDATE clients SET credit = 44 WHERE id = 4; UPDATE notes SET body = 'app' WHERE id = 1"));
    const out = await vsgOk(t, ['commit', '-m', 'both', "UPDATE clients SET credit = 45 WHERE id = 4; UPDATE notes SET body = 'me' WHERE id = 1"]);
    const lines = out.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^\[main [0-9a-f]{7}\] UPDATE clients: 1 updated \(earlier uncommitted changes by app, recorded first\)$/),
      expect.stringMatching(/^\[main [0-9a-f]{7}\] UPDATE notes: 1 updated \(earlier uncommitted changes by app, recorded first\)$/),
      expect.stringMatching(/^\[main [0-9a-f]{7}\] UPDATE clients: 1 updated · notes: 1 updated$/),
    ]);
    expect(await idsNotInLog(t, out)).toEqual([]);
  });
});
