/**
 * Property over random histories of three related tables (parent, child with
 * ON DELETE CASCADE, grandchild with ON DELETE and ON UPDATE CASCADE),
 * generated with a seeded PRNG and committed as commits across tables:
 * checking the repository out at any tagged point (all three tables in one
 * transaction, in foreign-key order) reproduces exactly the rows every table
 * had there, compared in SQL with EXCEPT ALL against snapshots taken right
 * after the commit. Rolling random commits across tables back, newest first,
 * brings every table back exactly, cascades and key changes included; the
 * history verifies throughout.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Repository } from '../../src/index.js';
import { isVsgError } from '../../src/errors.js';
import { makeTarget, targetNames, type Target } from '../helpers/targets.js';
import { prng } from '../helpers/prng.js';

const COMMITS = 30;
const TABLES = ['p', 'c', 'g'];

describe.each(targetNames())('history property across related tables on %s', (name) => {
  let t: Target;
  let repo: Repository;
  const author = 'prop';
  const rnd = prng(20261203);
  const int = (n: number) => Math.floor(rnd() * n);
  const tagged: { tag: string; id: string }[] = [];

  const differs = async (a: string, b: string) =>
    Number((await repo.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM ((TABLE ${a} EXCEPT ALL TABLE ${b}) UNION ALL (TABLE ${b} EXCEPT ALL TABLE ${a})) x`)).rows[0].n);

  /** A few statements over the three tables, always valid for their keys (a missing parent inserts nothing). */
  function randomSql(): string {
    const parts: string[] = [];
    for (let i = 0, n = 1 + int(3); i < n; i++) {
      const k = 1 + int(30);
      switch (int(9)) {
        case 0:
        case 1:
          parts.push(`INSERT INTO p VALUES (${k}, ${int(100)}) ON CONFLICT (id) DO UPDATE SET v = p.v + 1`);
          break;
        case 2:
        case 3:
          parts.push(`INSERT INTO c SELECT ${k * 10 + int(10)}, id, ${int(100)} FROM p WHERE id = (SELECT min(id) FROM p WHERE id >= ${k}) ON CONFLICT (id) DO UPDATE SET v = excluded.v`);
          break;
        case 4:
          parts.push(`INSERT INTO g SELECT id, ${int(3)}, 'g${int(9)}' FROM c WHERE id = (SELECT min(id) FROM c WHERE id >= ${k * 10}) ON CONFLICT DO NOTHING`);
          break;
        case 5:
          parts.push(`UPDATE c SET v = v + 1 WHERE id % ${2 + int(4)} = ${int(2)}`);
          break;
        case 6:
          // a key change that cascades into the grandchild
          parts.push(`UPDATE c SET id = id + 1000 WHERE id = (SELECT min(id) FROM c WHERE id >= ${k * 10} AND id < 1000)`);
          break;
        case 7:
          // a delete that cascades into the child and the grandchild
          parts.push(`DELETE FROM p WHERE id = (SELECT min(id) FROM p WHERE id >= ${k})`);
          break;
        default:
          parts.push(`DELETE FROM g WHERE order_no = ${int(3)} AND c_id % 2 = ${int(2)}`);
      }
    }
    return parts.join(';\n');
  }

  beforeAll(async () => {
    t = await makeTarget(name);
    repo = await t.open({ init: true });
    await repo.sql(`CREATE TABLE p (id int PRIMARY KEY, v int NOT NULL);
      CREATE TABLE c (id int PRIMARY KEY, p_id int NOT NULL REFERENCES p ON DELETE CASCADE, v int);
      CREATE TABLE g (c_id int REFERENCES c ON DELETE CASCADE ON UPDATE CASCADE, order_no int, note text, PRIMARY KEY (c_id, order_no));
      INSERT INTO p SELECT i, i FROM generate_series(1, 12) i;
      INSERT INTO c SELECT i * 10 + j, i, j FROM generate_series(1, 12) i, generate_series(0, 2) j;
      INSERT INTO g SELECT id, 0, 'n' FROM c WHERE id % 3 = 0`);
    await repo.trackTables(TABLES, { author });
  }, 300_000);
  afterAll(async () => {
    await repo?.close();
    await t?.cleanup();
  });

  it(`checking out any of ${COMMITS} random commits across three related tables reproduces every table`, { timeout: 600_000 }, async () => {
    for (let i = 0; i < COMMITS; i++) {
      try {
        const r = await repo.commit({ author, message: `step ${i}`, sql: randomSql() });
        const tag = `s${i}`;
        await repo.createTags({ name: tag });
        await repo.sql(TABLES.map((x) => `CREATE TABLE snap_${i}_${x} AS TABLE ${x}`).join(';\n'));
        tagged.push({ tag, id: r.commit.id });
      } catch (e) {
        if (!(isVsgError(e) && e.code === 'E_NOTHING_TO_COMMIT')) throw e;
      }
    }
    expect(tagged.length).toBeGreaterThan(COMMITS / 2);
    // Across tables: at least some commits changed two or three tables at once.
    const spans = await repo.db.query<{ n: string }>('SELECT count(DISTINCT id)::text AS n FROM vsg.commit_parts');
    expect(Number(spans.rows[0].n)).toBeGreaterThan(3);

    const order = tagged.map((x) => ({ ...x, i: Number(x.tag.slice(1)), r: rnd() })).sort((a, b) => a.r - b.r);
    for (const { tag, i } of order.slice(0, 12)) {
      await repo.checkoutMany({ ref: tag, author });
      for (const x of TABLES) expect(await differs(x, `snap_${i}_${x}`), `${x} at ${tag}`).toBe(0);
      expect((await repo.status()).every((s) => s.clean), `clean after ${tag}`).toBe(true);
    }
    expect((await repo.verify()).ok).toBe(true);
  });

  it('rolling back random commits across tables newest first brings every table back to where they started', { timeout: 300_000 }, async () => {
    await repo.sql(TABLES.map((x) => `CREATE TABLE start_${x} AS TABLE ${x}`).join(';\n'));
    const made: string[] = [];
    while (made.length < 8) {
      try {
        made.push((await repo.commit({ author, message: `undo me ${made.length}`, sql: randomSql() })).commit.id);
      } catch (e) {
        if (!(isVsgError(e) && e.code === 'E_NOTHING_TO_COMMIT')) throw e;
      }
    }
    for (const id of [...made].reverse()) {
      const r = await repo.rollback({ ref: id, author });
      expect(r.reverted.id).toBe(id);
      expect((await repo.status()).every((s) => s.clean)).toBe(true);
    }
    for (const x of TABLES) expect(await differs(x, `start_${x}`), x).toBe(0);
    // An earlier commit whose rows changed since: refused, nothing changed.
    const [first] = made;
    await repo.commit({ author, message: 'touch everything', sql: 'UPDATE p SET v = v + 1; UPDATE c SET v = coalesce(v, 0) + 1' });
    await repo.sql(TABLES.map((x) => `DROP TABLE IF EXISTS before_${x}; CREATE TABLE before_${x} AS TABLE ${x}`).join(';\n'));
    const refused = await repo.rollback({ ref: first, author }).then(() => null, (e: unknown) => e);
    if (refused !== null) {
      expect(isVsgError(refused) && ['E_ROLLBACK_CONFLICT', 'E_NOTHING_TO_ROLLBACK'].includes(refused.code), String(refused)).toBe(true);
      for (const x of TABLES) expect(await differs(x, `before_${x}`), x).toBe(0);
    }
    expect((await repo.verify()).ok).toBe(true);
  });
});
