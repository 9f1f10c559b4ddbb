/**
 * Property: over a history of random commits (inserts, updates, deletes,
 * generated with a seeded PRNG), checking out any commit reproduces exactly
 * the rows the table had right after that commit; reading that version
 * (rowsAt, vsg.as_of_rows) and restoring it agree too. Snapshots are taken
 * with SELECT after each commit and compared in SQL with EXCEPT ALL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/index.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';
import { prng } from '../helpers/prng.js';

const COMMITS = 60;

const COLS = 'k::text, a::text, b, c::text, d::text, e::text';

async function differs(repo: Repository, a: string, b: string): Promise<number> {
  const { rows } = await repo.db.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM ((SELECT ${COLS} FROM ${a} EXCEPT ALL SELECT ${COLS} FROM ${b})
      UNION ALL (SELECT ${COLS} FROM ${b} EXCEPT ALL SELECT ${COLS} FROM ${a})) x`,
  );
  return Number(rows[0].n);
}

describe.each(targetNames())('history property on %s', (name) => {
  let t: Target;
  let repo: Repository;
  const author = 'prop';
  const commits: { id: string; snap: string }[] = [];
  const rnd = prng(20261124);
  const int = (n: number) => Math.floor(rnd() * n);

  /** One random statement (or a few) touching a few rows. */
  function randomSql(): string {
    const parts: string[] = [];
    const n = 1 + int(3);
    for (let i = 0; i < n; i++) {
      const kind = int(10);
      const k = 1 + int(40);
      if (kind < 4) {
        const text = ["'x'", "'with\nnewline'", "''", 'NULL', "'🐘'", "'it''s'"][int(6)];
        parts.push(
          `INSERT INTO prop VALUES (${k}, ${int(1000) - 500}, ${text}, ${(rnd() * 1e6).toFixed(int(6))}, ${rnd() < 0.3 ? 'NULL' : `'{"v": ${int(9)}}'`}, ${["'NaN'", '1.5', "'-Infinity'", 'NULL'][int(4)]}) ON CONFLICT (k) DO UPDATE SET a = excluded.a + prop.a`,
        );
      } else if (kind < 8) {
        const col = ['a = a + 1', "b = coalesce(b, '') || 'y'", 'c = NULL', `d = '{"u": ${int(5)}}'`, 'e = e * 2'][int(5)];
        parts.push(`UPDATE prop SET ${col} WHERE k % ${2 + int(5)} = ${int(3)}`);
      } else {
        parts.push(`DELETE FROM prop WHERE k = ${k} OR k = ${1 + int(40)}`);
      }
    }
    return parts.join('; ');
  }

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql('CREATE TABLE prop (k int PRIMARY KEY, a int8, b text, c numeric(14,5), d jsonb, e float8)');
    await repo.sql(`INSERT INTO prop SELECT g, g * 10, 'row ' || g, g / 3.0, NULL, g FROM generate_series(1, 20) g`);
    await repo.track('prop', { author });
    const snap0 = 'snap_0';
    await repo.sql(`CREATE TABLE ${snap0} AS SELECT * FROM prop`);
    commits.push({ id: (await repo.tables())[0].headCommit as string, snap: snap0 });
    while (commits.length <= COMMITS) {
      const statement = randomSql();
      try {
        const r = await repo.commit({ table: 'prop', sql: statement, author });
        const snap = `snap_${commits.length}`;
        await repo.sql(`CREATE TABLE ${snap} AS SELECT * FROM prop`);
        commits.push({ id: r.commit.id, snap });
      } catch (e) {
        if ((e as { code?: string }).code !== 'E_NOTHING_TO_COMMIT') throw e;
      }
    }
  }, 300_000);
  afterAll(async () => {
    await repo?.close();
    await t?.cleanup();
  });

  it(`has at least 50 commits`, () => {
    expect(commits.length).toBeGreaterThanOrEqual(51);
  });

  it('reading any commit (rowsAt, vsg.as_of_rows) gives the rows it had, without touching the table', async () => {
    for (const c of commits) {
      const typed = `SELECT * FROM vsg.as_of_rows(NULL::prop, '${c.id}')`;
      expect(await differs(repo, `(${typed}) s`, c.snap), `as_of ${c.snap}`).toBe(0);
    }
    for (const c of commits.filter((_, i) => i % 5 === 0)) {
      const r = await repo.rowsAt({ table: 'prop', at: c.id, batchSize: 7 });
      const { rows } = await repo.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${c.snap}`);
      expect(r.rows.length).toBe(Number(rows[0].n));
    }
    expect(await differs(repo, 'prop', commits[commits.length - 1].snap)).toBe(0);
  }, 300_000);

  it('checking out any commit, in random order, reproduces exactly its rows', async () => {
    const order = commits.map((_, i) => i).sort(() => rnd() - 0.5);
    for (const i of order) {
      const c = commits[i];
      await repo.checkout({ table: 'prop', ref: c.id, author });
      expect(await differs(repo, 'prop', c.snap), `checkout ${c.snap}`).toBe(0);
    }
    expect((await repo.status({ table: 'prop' }))[0].clean).toBe(true);
  }, 300_000);

  it('restoring a commit then restoring HEAD comes back clean', async () => {
    const head = commits[int(commits.length)];
    await repo.checkout({ table: 'prop', ref: head.id, author });
    for (let n = 0; n < 8; n++) {
      const c = commits[int(commits.length)];
      await repo.restore({ table: 'prop', ref: c.id });
      expect(await differs(repo, 'prop', c.snap), `restore ${c.snap}`).toBe(0);
    }
    const back = await repo.restore({ table: 'prop' });
    expect(back.status.clean).toBe(true);
    expect(await differs(repo, 'prop', head.snap)).toBe(0);
  }, 300_000);
});
