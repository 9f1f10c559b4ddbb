/**
 * The log read in pages (LogOptions.before, what `vsg tui` scrolls with) and
 * filtered by message (grep): pages laid end to end are the log read at once,
 * on a history with a merge across tables, per table, and on a long linear one.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LogOptions, Repository } from '../../src/index.js';
import { ordersWithMerge } from '../helpers/scenarios.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 120_000 });

/** The log read `size` entries at a time, each page after the last entry of the one before. */
async function paged(repo: Repository, opts: LogOptions, size: number): Promise<string[]> {
  const ids: string[] = [];
  for (;;) {
    const r = await repo.log({ ...opts, limit: size, before: ids[ids.length - 1] });
    ids.push(...r.commits.map((c) => c.id));
    if (r.commits.length < size) return ids;
  }
}

describe.each(targetNames())('log in pages (%s)', (name) => {
  let t: Target;
  let repo: Repository;
  beforeAll(async () => {
    t = await makeTarget(name);
    await ordersWithMerge(t);
    repo = await t.open();
    // a second history, long and linear: 25 commits of one table
    await repo.sql('CREATE TABLE notes (id int PRIMARY KEY, body text)');
    await repo.track('notes', { author: 'tester' });
    for (let i = 1; i <= 24; i++) await repo.commit({ table: 'notes', author: i % 2 ? 'ann' : 'bob', message: `note ${i}${i % 5 === 0 ? ' (fifth)' : ''}`, sql: `INSERT INTO notes VALUES (${i}, 'n${i}')` });
  });
  afterAll(async () => {
    await repo?.close();
    await t?.cleanup();
  });

  it('pages of any size make the whole log, across tables and through a merge', async () => {
    const whole = (await repo.log()).commits.map((c) => c.id);
    expect(whole.length).toBeGreaterThan(8);
    for (const size of [1, 2, 3, 7]) expect(await paged(repo, {}, size), `pages of ${size}`).toEqual(whole);
  });

  it('per table: with a merge behind HEAD and without', async () => {
    for (const table of ['clients', 'orders', 'items', 'notes']) {
      const whole = (await repo.log({ table })).commits.map((c) => c.id);
      for (const size of [1, 4, 10]) expect(await paged(repo, { table }, size), `${table}, pages of ${size}`).toEqual(whole);
    }
  });

  it('filters hold across pages: author and message (grep, case-insensitive)', async () => {
    const fifth = (await repo.log({ table: 'notes', grep: 'FIFTH' })).commits.map((c) => c.message);
    expect(fifth).toEqual(['note 20 (fifth)', 'note 15 (fifth)', 'note 10 (fifth)', 'note 5 (fifth)']);
    expect(await paged(repo, { table: 'notes', grep: 'fifth' }, 3)).toEqual((await repo.log({ table: 'notes', grep: 'fifth' })).commits.map((c) => c.id));
    const bobs = (await repo.log({ table: 'notes', author: 'bob' })).commits.map((c) => c.id);
    expect(bobs).toHaveLength(12);
    expect(await paged(repo, { table: 'notes', author: 'bob' }, 5)).toEqual(bobs);
    expect((await repo.log({ grep: 'her order' })).commits.map((c) => c.message)).toEqual(['dee and her order', 'cy and her order']);
  });

  it('a cursor that is no commit is refused', async () => {
    await expect(repo.log({ before: 'f'.repeat(64) })).rejects.toMatchObject({ code: 'E_UNKNOWN_REF' });
  });
});
