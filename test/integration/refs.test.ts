/** Commit references through the library: prefixes, ambiguity, HEAD~N, and the CLI's report of candidates. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, targetNames, vsg, type Target } from '../helpers/targets.js';

describe.each(targetNames())('commit references on %s', (name) => {
  let t: Target;
  let repo: Repository;
  let collision: { prefix: string; ids: string[] };

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql('CREATE TABLE r (id int PRIMARY KEY)');
    await repo.track('r', { author: 'tester' });
    // Empty commits until two ids share their first 4 hex digits (a birthday bound of ~300).
    const seen = new Map<string, string>();
    for (let i = 0; ; i++) {
      const { commit } = await repo.commit({ table: 'r', sql: 'SELECT 1', allowEmpty: true, author: 'tester', message: `c${i}` });
      const p = commit.id.slice(0, 4);
      const other = seen.get(p);
      if (other) {
        collision = { prefix: p, ids: [other, commit.id] };
        break;
      }
      seen.set(p, commit.id);
    }
  });
  afterAll(async () => {
    await repo?.close();
    await t.cleanup();
  });

  it('an ambiguous prefix is an error carrying every candidate', async () => {
    await expect(repo.show(collision.prefix)).rejects.toMatchObject({
      code: 'E_AMBIGUOUS_REF',
      exitCode: 3,
      data: { candidates: expect.arrayContaining(collision.ids.map((id) => expect.objectContaining({ id }))) },
    });
  });

  it('one more character makes it unique', async () => {
    const [a, b] = collision.ids;
    let n = 5;
    while (a.slice(0, n) === b.slice(0, n)) n++;
    expect((await repo.show(a.slice(0, n))).commit.id).toBe(a);
    expect((await repo.show(b.slice(0, n))).commit.id).toBe(b);
  });

  it('HEAD~N walks first parents; ids chain through parents', async () => {
    const { commits } = await repo.log({ table: 'r', limit: 4 });
    expect((await repo.show('HEAD~3', { table: 'r' })).commit.id).toBe(commits[3].id);
    for (let i = 0; i < 3; i++) expect(commits[i].parents).toEqual([commits[i + 1].id]);
  });

  it('the CLI lists the candidates in its hint and exits 3', async () => {
    await repo.close();
    const r = await vsg(t, ['show', collision.prefix]);
    repo = await t.open();
    expect(r.code).toBe(3);
    expect(r.stderr).toContain(`error: '${collision.prefix}' is ambiguous: 2 candidates`);
    for (const id of collision.ids) expect(r.stderr).toContain(id.slice(0, 7));
  });

  it('with --json, the CLI gives the candidates in the error data', async () => {
    await repo.close();
    const r = await vsg(t, ['show', collision.prefix, '--json']);
    repo = await t.open();
    expect([r.code, r.stdout]).toEqual([3, '']);
    const { error } = JSON.parse(r.stderr);
    expect(error).toMatchObject({ code: 'E_AMBIGUOUS_REF', message: `'${collision.prefix}' is ambiguous: 2 candidates` });
    expect(error.data.candidates.map((c: { id: string }) => c.id).sort()).toEqual([...collision.ids].sort());
  });
});
