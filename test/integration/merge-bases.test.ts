/**
 * vsg.merge_bases (a walk from both tips that stops where every commit still
 * queued lies below a common one) gives the same best merge bases as the
 * plain definition: the common ancestors over every parent that are not an
 * ancestor of another common ancestor. Histories of every shape built
 * through the library (linear, branch and merge, criss-cross, one side an
 * ancestor of the other, the same commit, unrelated histories, merges of
 * merges, and a seeded random one), compared on every pair of commits.
 * Server and PGlite.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Repository } from '../../src/index.js';
import { prng } from '../helpers/prng.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';

vi.setConfig({ testTimeout: 300_000 });

const author = 'tester';

/**
 * The best merge bases of commits `a` and `b` (SQL expressions) by their
 * definition, as vsg.merge_bases computed them before it stopped early: every
 * ancestor of each side, their intersection, less those that are a parent of
 * a common one (common ancestors are closed under "parent of"). Newest first.
 */
function referenceBases(a: string, b: string): string {
  return `WITH RECURSIVE wa(id) AS (
      SELECT ${a}
      UNION
      SELECT p.id FROM wa JOIN vsg.commits c ON c.id = wa.id
      CROSS JOIN LATERAL (VALUES (c.parent), (c.merge_parent)) AS p(id) WHERE p.id IS NOT NULL
    ), wb(id) AS (
      SELECT ${b}
      UNION
      SELECT p.id FROM wb JOIN vsg.commits c ON c.id = wb.id
      CROSS JOIN LATERAL (VALUES (c.parent), (c.merge_parent)) AS p(id) WHERE p.id IS NOT NULL
    ), common AS MATERIALIZED (
      SELECT c.id, c.parent, c.merge_parent, c.seq
      FROM (SELECT id FROM wa INTERSECT SELECT id FROM wb) x JOIN vsg.commits c ON c.id = x.id
    ), parents AS (
      SELECT parent AS id FROM common WHERE parent IS NOT NULL
      UNION
      SELECT merge_parent FROM common WHERE merge_parent IS NOT NULL
    )
    SELECT coalesce(array_agg(x.id ORDER BY x.seq DESC), '{}') AS ids FROM common x
    WHERE NOT EXISTS (SELECT 1 FROM parents p WHERE p.id = x.id)`;
}

interface Pairs {
  /** pairs compared (every ordered pair of commits, each commit with itself included) */
  pairs: number;
  /** pairs where vsg.merge_bases and the reference differ */
  differ: { a: string; b: string; got: string; want: string }[];
  /** pairs by how many best bases they have (0: unrelated) */
  byCount: Record<number, number>;
}

/** Every ordered pair of commits of the repository: vsg.merge_bases against the reference. */
async function comparePairs(repo: Repository): Promise<Pairs> {
  const { rows } = await repo.db.query<{ a: string; b: string; got: string; want: string; n: string }>(
    `SELECT x.id AS a, y.id AS b, array_to_string(got.ids, ' ') AS got, array_to_string(want.ids, ' ') AS want,
            cardinality(want.ids)::text AS n
     FROM vsg.commits x CROSS JOIN vsg.commits y
     CROSS JOIN LATERAL (SELECT coalesce(array_agg(m.id ORDER BY m.seq DESC), '{}') AS ids FROM vsg.merge_bases(x.id, y.id) m) got
     CROSS JOIN LATERAL (${referenceBases('x.id', 'y.id')}) want`,
  );
  const byCount: Record<number, number> = {};
  for (const r of rows) byCount[Number(r.n)] = (byCount[Number(r.n)] ?? 0) + 1;
  return { pairs: rows.length, differ: rows.filter((r) => r.got !== r.want).map(({ a, b, got, want }) => ({ a, b, got, want })), byCount };
}

/** vsg.merge_bases of two commits, newest first, as sql/merge/bases.sql orders them. */
async function bases(repo: Repository, a: string, b: string): Promise<string[]> {
  const { rows } = await repo.db.query<{ id: string }>(`SELECT id FROM vsg.merge_bases($1, $2) ORDER BY seq DESC`, [a, b]);
  return rows.map((r) => r.id);
}

describe.each(targetNames())('merge bases on %s', (name) => {
  let t: Target;
  let repo: Repository;

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
  });
  afterAll(async () => {
    await repo?.close();
    await t.cleanup();
  });

  async function tip(table: string, branch: string): Promise<string> {
    return (await repo.branches({ table })).branches.find((b) => b.name === branch)?.commit as string;
  }
  async function commitOn(table: string, branch: string, sql: string): Promise<string> {
    await repo.switch({ table, branch });
    return (await repo.commit({ table, sql, author })).commit!.id;
  }
  async function mergeInto(table: string, branch: string, ref: string): Promise<string> {
    await repo.switch({ table, branch });
    await repo.merge({ table, ref, author, noFf: true });
    return tip(table, branch);
  }
  async function table(name: string): Promise<string> {
    await repo.sql(`CREATE TABLE ${name} (id int PRIMARY KEY, v int NOT NULL); INSERT INTO ${name} SELECT g, 0 FROM generate_series(1, 20) g`);
    return (await repo.track(name, { author })).root.id;
  }

  it('a linear history: the older commit; the same commit: itself', async () => {
    const root = await table('lin');
    const c1 = await commitOn('lin', 'main', 'UPDATE lin SET v = 1 WHERE id = 1');
    const c2 = await commitOn('lin', 'main', 'UPDATE lin SET v = 2 WHERE id = 2');
    const c3 = await commitOn('lin', 'main', 'UPDATE lin SET v = 3 WHERE id = 3');
    expect(await bases(repo, c3, c1)).toEqual([c1]);
    expect(await bases(repo, c1, c3)).toEqual([c1]);
    expect(await bases(repo, c2, root)).toEqual([root]);
    expect(await bases(repo, c2, c2)).toEqual([c2]);
  });

  it('a branch and a merge: the fork, then the merged tip', async () => {
    const fork = await commitOn('lin', 'main', 'UPDATE lin SET v = 4 WHERE id = 4');
    await repo.createBranch({ table: 'lin', name: 'topic', start: fork });
    const t1 = await commitOn('lin', 'topic', 'UPDATE lin SET v = 5 WHERE id = 5');
    const m1 = await commitOn('lin', 'main', 'UPDATE lin SET v = 6 WHERE id = 6');
    expect(await bases(repo, m1, t1)).toEqual([fork]);
    const merged = await mergeInto('lin', 'main', 'topic');
    const t2 = await commitOn('lin', 'topic', 'UPDATE lin SET v = 7 WHERE id = 7');
    const m2 = await commitOn('lin', 'main', 'UPDATE lin SET v = 8 WHERE id = 8');
    expect(await bases(repo, m2, t2)).toEqual([t1]);
    expect(await bases(repo, merged, m1)).toEqual([m1]);
  });

  it('a criss-cross: both sides\' tips before the cross', async () => {
    const fork = await table('cc');
    await repo.createBranch({ table: 'cc', name: 'feature', start: fork });
    const m1 = await commitOn('cc', 'main', 'UPDATE cc SET v = 1 WHERE id = 1');
    const f1 = await commitOn('cc', 'feature', 'UPDATE cc SET v = 2 WHERE id = 2');
    await mergeInto('cc', 'main', f1);
    await mergeInto('cc', 'feature', m1);
    const f3 = await commitOn('cc', 'feature', 'UPDATE cc SET v = 3 WHERE id = 3');
    const m3 = await commitOn('cc', 'main', 'UPDATE cc SET v = 4 WHERE id = 4');
    const found = await bases(repo, m3, f3);
    expect(found).toHaveLength(2);
    expect([...found].sort()).toEqual([m1, f1].sort());
    // and the merge itself goes through the virtual base
    await repo.switch({ table: 'cc', branch: 'main' });
    expect((await repo.merge({ table: 'cc', ref: 'feature', author })).bases).toHaveLength(2);
  });

  it('unrelated histories: no base', async () => {
    const other = await table('other');
    const o1 = await commitOn('other', 'main', 'UPDATE other SET v = 1 WHERE id = 1');
    expect(await bases(repo, o1, await tip('lin', 'main'))).toEqual([]);
    expect(await bases(repo, other, await tip('cc', 'main'))).toEqual([]);
  });

  it('merges of merges: the newest common merge', async () => {
    const fork = await table('mm');
    for (const b of ['a', 'b', 'c']) await repo.createBranch({ table: 'mm', name: b, start: fork });
    await commitOn('mm', 'a', 'UPDATE mm SET v = 1 WHERE id = 1');
    await commitOn('mm', 'b', 'UPDATE mm SET v = 2 WHERE id = 2');
    await commitOn('mm', 'c', 'UPDATE mm SET v = 3 WHERE id = 3');
    await mergeInto('mm', 'a', 'b');
    const ac = await mergeInto('mm', 'a', 'c');
    await commitOn('mm', 'main', 'UPDATE mm SET v = 4 WHERE id = 4');
    const mainA = await mergeInto('mm', 'main', 'a');
    await mergeInto('mm', 'c', 'main');
    const c2 = await commitOn('mm', 'c', 'UPDATE mm SET v = 5 WHERE id = 5');
    const a2 = await commitOn('mm', 'a', 'UPDATE mm SET v = 6 WHERE id = 6');
    expect(await bases(repo, a2, c2)).toEqual([ac]);
    const main2 = await commitOn('mm', 'main', 'UPDATE mm SET v = 7 WHERE id = 7');
    expect(await bases(repo, main2, c2)).toEqual([mainA]);
  });

  it('a seeded random history of branches and merges', async () => {
    await table('rnd');
    const rnd = prng(20261206);
    const int = (n: number) => Math.floor(rnd() * n);
    const branches = ['main'];
    let merges = 0;
    for (let i = 0; i < 90; i++) {
      const op = int(10);
      if (op < 4) {
        await commitOn('rnd', branches[int(branches.length)], `UPDATE rnd SET v = ${i} WHERE id = ${1 + int(20)}`);
      } else if (op < 6) {
        const b = `b${i}`;
        const from = branches[int(branches.length)];
        await repo.createBranch({ table: 'rnd', name: b, start: await tip('rnd', from) });
        branches.push(b);
      } else {
        const [ours, theirs] = [branches[int(branches.length)], branches[int(branches.length)]];
        if (ours === theirs) continue;
        await repo.switch({ table: 'rnd', branch: ours });
        try {
          await repo.merge({ table: 'rnd', ref: theirs, author, strategy: 'theirs', noFf: rnd() < 0.8 });
          merges++;
        } catch (e) {
          // more than two best bases, or two whose own bases are several: vsg refuses
          if ((e as { code?: string }).code !== 'E_CRISS_CROSS') throw e;
        }
      }
    }
    expect(merges).toBeGreaterThan(5);
  });

  it('every pair of commits above: the same bases as the definition', async () => {
    const r = await comparePairs(repo);
    expect(r.differ).toEqual([]);
    // every shape occurred: unrelated pairs, one base, two and three
    expect(r.pairs).toBeGreaterThan(5000);
    expect(r.byCount[0]).toBeGreaterThan(0);
    expect(r.byCount[1]).toBeGreaterThan(0);
    expect(r.byCount[2]).toBeGreaterThan(0);
    expect(r.byCount[3]).toBeGreaterThan(0);
  });
});
