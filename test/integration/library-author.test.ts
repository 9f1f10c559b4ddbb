/**
 * Library calls that make a commit need an author: a JavaScript caller that
 * leaves it out (or the whole options object) gets E_USAGE and nothing is
 * done, never a TypeError or PostgreSQL's not-null error.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 60_000 });

describe.each(targetNames())('a commit without an author on %s', (name) => {
  let t: Target;
  let repo: Repository;
  // the calls as JavaScript makes them: no type to stop a missing argument
  const js = () => repo as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const tracked = async () => (await repo.tables()).map((x) => x.display);
  const commits = async () => (await repo.db.query<{ n: string }>('SELECT count(*)::text AS n FROM vsg.commits')).rows[0].n;

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql('CREATE TABLE items (id int PRIMARY KEY, v text); CREATE TABLE more (id int PRIMARY KEY)');
  });
  afterAll(async () => {
    await repo?.close();
    await t?.cleanup();
  });

  it('track, trackTables: E_USAGE (exit 2), nothing tracked', async () => {
    for (const call of [() => js().track('items'), () => js().track('items', {}), () => js().track('items', { author: '' }), () => js().trackTables(['items', 'more'])]) {
      await expect(call()).rejects.toMatchObject({ name: 'VsgError', code: 'E_USAGE', exitCode: 2 });
    }
    expect(await tracked()).toEqual([]);
    expect(await commits()).toBe('0');
  });

  it('commit and the other calls that commit: E_USAGE, nothing committed', async () => {
    await repo.track('items', { author: 'alice' });
    const before = await commits();
    await expect(js().commit({ table: 'items', sql: 'INSERT INTO items VALUES (1)' })).rejects.toMatchObject({ code: 'E_USAGE', exitCode: 2 });
    expect((await repo.db.query('SELECT * FROM items')).rows).toEqual([]);
    await repo.db.query('INSERT INTO items VALUES (2)');
    await repo.commit({ table: 'items', author: 'alice', message: 'two' });
    // a call that reaches the commit itself (here a rollback) is refused there, its write undone
    await expect(js().rollback({ table: 'items', ref: 'HEAD' })).rejects.toMatchObject({ code: 'E_USAGE', exitCode: 2 });
    expect((await repo.db.query<{ id: string }>('SELECT id::text AS id FROM items')).rows).toEqual([{ id: '2' }]);
    expect(Number(await commits())).toBe(Number(before) + 1);
  });
});
