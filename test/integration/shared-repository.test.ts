/**
 * One repository object shared by concurrent calls, as a web server handling
 * several requests would share it. A repository opened on a URL or the
 * embedded database holds one session: calls must take turns on it, never
 * run inside each other's transaction (where one's rollback would undo the
 * other's acknowledged commit).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';

describe.each(targetNames())('one repository, concurrent calls, on %s', (name) => {
  let t: Target;
  let repo: Repository;
  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql('CREATE TABLE hits (id int PRIMARY KEY, n int NOT NULL)');
    await repo.track('hits', { author: 'setup' });
  });
  afterAll(async () => {
    await repo.close();
    await t.cleanup();
  });

  it('every acknowledged commit lands in one linear chain', async () => {
    const calls = Array.from({ length: 12 }, (_, i) => repo.commit({ table: 'hits', sql: `INSERT INTO hits VALUES (${i + 100}, ${i})`, author: `w${i}` }));
    const settled = await Promise.allSettled(calls);
    expect(settled.map((s) => (s.status === 'rejected' ? String(s.reason) : 'ok'))).toEqual(Array(12).fill('ok'));
    const acknowledged = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.commit.id] : []));
    const log = await repo.log({ table: 'hits' });
    expect(log.commits.length).toBe(13);
    expect(log.commits.map((c) => c.id)).toEqual(expect.arrayContaining(acknowledged));
    expect((await repo.sql('SELECT count(*) FROM hits')).rows).toEqual([['12']]);
  });

  it('a call that fails rolls back its own transaction only', async () => {
    const calls = [
      repo.commit({ table: 'hits', sql: 'INSERT INTO hits VALUES (500, 1)', author: 'a' }),
      repo.commit({ table: 'hits', sql: 'INSERT INTO hits VALUES (100, 1)', author: 'b' }), // key 100 exists: fails
      repo.commit({ table: 'hits', sql: 'INSERT INTO hits VALUES (501, 1)', author: 'c' }),
    ];
    const settled = await Promise.allSettled(calls);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await repo.sql('SELECT id FROM hits WHERE id >= 500 ORDER BY id')).rows).toEqual([['500'], ['501']]);
    expect((await repo.log({ table: 'hits' })).commits.length).toBe(15);
    expect((await repo.verify()).ok).toBe(true);
  });
});
