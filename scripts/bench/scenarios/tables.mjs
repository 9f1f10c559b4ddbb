/**
 * Scenario 9: many tables. Two figures that hold the repository-wide model to
 * "cost follows the change, not the number of tables":
 * - a 1-row commit (library call) in a repository with 200 tracked tables,
 *   beside the same commit in one with a single tracked table (the "floor"
 *   column here); target ratio ≤ 1.2;
 * - the same with no table named (a commit across every table the SQL
 *   changes, found after it ran), beside the 1-table repository;
 * - throughput of 8 writers committing at once, each to its own table and
 *   naming none (the repository-wide commit), beside the same writers naming
 *   their table (the per-table path: target ≥ 0.7×), and beside their bare
 *   UPDATEs of untracked copies (after an untimed second of each side);
 * - one transaction changing 1,000 rows in each of 3 tables, committed as one
 *   commit across them, beside the same transaction on untracked copies.
 * Rounds alternate between the sides, each after a CHECKPOINT.
 */
import { goal, makeRow } from '../lib.mjs';
import { connect, createDatabase, dropDatabase, progress, time } from '../harness.mjs';

export const id = 'tables';
export const perSize = false;

const WRITERS = 8;
const ROWS = 100;

/** n tables w001…, each of ROWS rows, tracked in one call where the build can. */
async function setup(lib, c, url, n) {
  const names = Array.from({ length: n }, (_, i) => `w${String(i + 1).padStart(3, '0')}`);
  await c.query(names.map((t) => `CREATE TABLE ${t} (id int PRIMARY KEY, a int NOT NULL);
    INSERT INTO ${t} SELECT i, 0 FROM generate_series(1, ${ROWS}) i;`).join('\n'));
  const repo = await lib.openRepository({ url, init: true });
  if (typeof repo.trackTables === 'function') await repo.trackTables(names, { author: 'bench' });
  else for (const t of names) await repo.track(t, { author: 'bench' });
  return { repo, names };
}

export async function run(ctx) {
  const { cleanup, reps, lib, prefix } = ctx;
  const rows = [];
  const one = `${prefix}_tables_1`;
  const many = `${prefix}_tables_200`;
  const urls = [await createDatabase(cleanup, one), await createDatabase(cleanup, many)];
  const clients = [];
  const repos = [];
  try {
    progress('tables: tracking 1 and 200 tables');
    for (const [i, n] of [1, 200].entries()) {
      const c = await connect(cleanup, urls[i]);
      clients.push(c);
      repos.push((await setup(lib, c, urls[i], n)).repo);
    }
    progress('tables: 1-row commit with 1 and with 200 tracked tables');
    const s = { one: [], many: [] };
    const commitOnce = (repo, k) => repo.commit({ table: 'w001', sql: `UPDATE w001 SET a = a + 1 WHERE id = ${(k % ROWS) + 1}`, author: 'bench', message: 'one row' });
    // Six untimed commits first: PostgreSQL plans a prepared statement's first
    // five runs on a connection for their parameters (scenario 1 says more).
    for (let k = 0; k < 6; k++) for (const r of repos) await commitOnce(r, k);
    for (let i = 0; i < reps.engine * 3; i++) {
      for (const [j, side] of (i % 2 ? [1, 0] : [0, 1]).entries()) {
        void j;
        await clients[side].query('CHECKPOINT');
        (side === 0 ? s.one : s.many).push(await time(() => commitOnce(repos[side], i + 10)));
      }
    }
    rows.push(goal(makeRow({
      scenario: '9 tables',
      name: '1-row commit, 200 tracked tables (floor: 1 tracked table)',
      rows: 200,
      vsg: s.many,
      refs: { floor: s.one },
      note: 'target: ≤ 1.2× (cost follows the change, not the number of tables)',
    }), 1.2));

    progress('tables: 1-row commit naming no table, with 200 tracked tables');
    const across = { one: [], many: [] };
    const unnamed = (repo, k) => repo.commit({ sql: `UPDATE w001 SET a = a + 1 WHERE id = ${(k % ROWS) + 1}`, author: 'bench', message: 'one row' });
    for (let k = 0; k < 6; k++) await unnamed(repos[1], k);
    for (let i = 0; i < reps.engine * 3; i++) {
      for (const side of i % 2 ? [1, 0] : [0, 1]) {
        await clients[side].query('CHECKPOINT');
        (side === 0 ? across.one : across.many).push(await time(() => (side === 0 ? commitOnce : unnamed)(repos[side], i + 10)));
      }
    }
    rows.push(goal(makeRow({
      scenario: '9 tables',
      name: '1-row commit naming no table, 200 tracked tables (floor: -t, 1 tracked table)',
      rows: 200,
      vsg: across.many,
      refs: { floor: across.one },
      note: 'the commit finds the tables its SQL changed; target: ≤ 1.2×',
    }), 1.2));

    progress('tables: one transaction changing 1,000 rows in each of 3 tables');
    const big = 10_000;
    await clients[0].query(['x1', 'x2', 'x3'].map((t) => `CREATE TABLE ${t} (id int PRIMARY KEY, a int NOT NULL, b text);
      INSERT INTO ${t} SELECT i, 0, md5(i::text) FROM generate_series(1, ${big}) i;
      CREATE TABLE ${t}_bare AS TABLE ${t}; ALTER TABLE ${t}_bare ADD PRIMARY KEY (id);`).join('\n'));
    await repos[0].trackTables(['x1', 'x2', 'x3'], { author: 'bench' });
    const tx = (suffix, k) => ['x1', 'x2', 'x3'].map((t) => `UPDATE ${t}${suffix} SET a = a + 1 WHERE id % ${big / 1000} = ${k % (big / 1000)}`).join('; ');
    const three = { vsg: [], floor: [] };
    await repos[0].commit({ sql: tx('', 0), author: 'bench', message: 'warm' });
    for (let i = 0; i < reps.engine * 2; i++) {
      for (const side of i % 2 ? ['floor', 'vsg'] : ['vsg', 'floor']) {
        await clients[0].query('CHECKPOINT');
        three[side].push(side === 'vsg'
          ? await time(() => repos[0].commit({ sql: tx('', i + 1), author: 'bench', message: '3 x 1000' }))
          : await time(async () => { await clients[0].query('BEGIN'); await clients[0].query(tx('_bare', i + 1)); await clients[0].query('COMMIT'); }));
      }
    }
    rows.push(makeRow({
      scenario: '9 tables',
      name: 'one transaction, 1,000 rows in each of 3 tables, one commit across them (floor: same transaction, untracked)',
      rows: 3000,
      vsg: three.vsg,
      refs: { floor: three.floor },
      note: 'the three tables hold 10,000 rows each',
    }));

    progress(`tables: ${WRITERS} writers, each committing to its own table`);
    const seconds = reps.tablesSeconds;
    const tput = { vsg: [], table: [], bare: [] };
    const writers = [];
    const bare = [];
    for (let w = 0; w < WRITERS; w++) {
      writers.push(await lib.openRepository({ url: urls[1] }));
      bare.push(await connect(cleanup, urls[1]));
    }
    try {
      const table = (w, prefix = 'w') => `${prefix}${String(w + 1).padStart(3, '0')}`;
      // the bare writers update untracked copies: on the tracked tables their changes
      // would stay uncommitted in vsg.pending for the next side's commits to record
      await clients[1].query(Array.from({ length: WRITERS }, (_, w) => `CREATE TABLE ${table(w, 'b')} AS TABLE ${table(w)}; ALTER TABLE ${table(w, 'b')} ADD PRIMARY KEY (id);`).join('\n'));
      const update = (w, n, prefix = 'w') => `UPDATE ${table(w, prefix)} SET a = a + 1 WHERE id = ${(n % ROWS) + 1}`;
      const loop = async (step, s = seconds) => {
        const until = performance.now() + s * 1000;
        const counts = await Promise.all(Array.from({ length: WRITERS }, async (_, w) => {
          let n = 0;
          while (performance.now() < until) await step(w, n++);
          return n;
        }));
        return counts.reduce((a, b) => a + b, 0) / seconds;
      };
      const sides = {
        // the repository-wide commit: no table named, the SQL's tables found after it ran
        vsg: (w, n) => writers[w].commit({ sql: update(w, n), author: `writer${w}`, message: 'tput' }),
        // the per-table path: the table named, as each table's own branch took commits before
        table: (w, n) => writers[w].commit({ table: table(w), sql: update(w, n), author: `writer${w}`, message: 'tput' }),
        bare: (w, n) => bare[w].query(update(w, n, 'b')),
      };
      const order = Object.keys(sides);
      // untimed: each connection's first commits plan its statements and read
      // the catalog of 200 tables, which the first side timed would pay alone
      for (const side of order) await loop(sides[side], 1);
      for (let round = 0; round < reps.tablesRounds; round++) {
        for (let k = 0; k < order.length; k++) {
          const side = order[(round + k) % order.length];
          await clients[1].query('CHECKPOINT');
          tput[side].push(await loop(sides[side]));
        }
      }
    } finally {
      for (const r of writers) await r.close().catch(() => undefined);
      for (const b of bare) await b.end().catch(() => undefined);
    }
    rows.push(goal(makeRow({
      scenario: '9 tables',
      name: `${WRITERS} writers, each committing to its own table naming none (throughput; floor: the same writers naming their table)`,
      rows: 200,
      unit: 'tps',
      vsg: tput.vsg,
      refs: { floor: tput.table },
      note: `${seconds} s a round; target ≥ 0.7× the per-table path`,
    }), 0.7, true));
    rows.push(makeRow({
      scenario: '9 tables',
      name: `${WRITERS} writers, each committing to its own table naming it (throughput; floor: their bare UPDATEs)`,
      rows: 200,
      unit: 'tps',
      vsg: tput.table,
      refs: { floor: tput.bare },
      note: `${seconds} s a round; floor: the same writers' bare UPDATEs without vsg`,
    }));
    return rows;
  } finally {
    for (const r of repos) await r.close().catch(() => undefined);
    for (const c of clients) await c.end().catch(() => undefined);
    await dropDatabase(cleanup, one);
    await dropDatabase(cleanup, many);
  }
}
