/**
 * Scenario 11: `vsg track` of a whole table against copying it (issue 16).
 * The issue's table (id bigint primary key, name text, email text,
 * balance numeric(12,2), updated_at timestamptz) at 100k and 1M rows (10M
 * with --large; 10k and 100k with --quick), each size in a database of its
 * own. The floor: `CREATE TABLE … AS SELECT * FROM` it, the bare way to keep
 * a copy. Rounds alternate between vsg and the floor, each timed write after
 * a CHECKPOINT; between vsg's rounds the table is untracked with its history
 * deleted and vsg's tables vacuumed (untimed). Figures: track against the copy (goal ≤ 3× at 1M rows),
 * and vsg's time per row at the largest size against the smallest (flat:
 * goal ≤ 1.5).
 */
import { makeRow } from '../lib.mjs';
import { connect, createDatabase, dropDatabase, progress, time } from '../harness.mjs';

export const id = 'track';
export const perSize = false;

/** The sizes measured. */
export function trackSizes(opts) {
  if (opts.quick) return [10_000, 100_000];
  return opts.large ? [100_000, 1_000_000, 10_000_000] : [100_000, 1_000_000];
}

/** The issue's table of n rows. */
export function tableSql(name, n) {
  return `CREATE TABLE ${name} (id bigint PRIMARY KEY, name text NOT NULL, email text NOT NULL, balance numeric(12,2), updated_at timestamptz NOT NULL);
${insertSql(name, 1, n)};`;
}

/** An INSERT of the issue's rows with keys lo..hi into table `name`. */
export function insertSql(name, lo, hi) {
  return `INSERT INTO ${name} SELECT i, 'name ' || i, 'user' || i || '@example.com', (i % 100000) / 100.0, timestamptz '2026-01-01' + i * interval '1 second'
FROM generate_series(${Number(lo)}, ${Number(hi)}) AS i`;
}

/** Rounds per size: fewer for the large ones, whose single round says enough. */
export function roundsFor(n, reps) {
  if (n >= 10_000_000) return 2;
  if (n >= 1_000_000) return Math.min(reps.process, 5);
  return reps.engine;
}

export async function run(ctx) {
  const { cleanup, reps, lib, prefix, opts } = ctx;
  const rows = [];
  const perRow = [];
  for (const n of trackSizes(opts)) {
    const name = `${prefix}_track_${n}`;
    const url = await createDatabase(cleanup, name);
    const c = await connect(cleanup, url);
    let repo = null;
    try {
      progress(`track: ${n} rows`);
      await c.query(tableSql('big', n));
      await c.query('VACUUM ANALYZE big');
      repo = await lib.openRepository({ url, init: true });
      const timed = async (fn) => {
        await c.query('CHECKPOINT');
        return time(fn);
      };
      const s = { vsg: [], floor: [] };
      for (let i = 0; i < roundsFor(n, reps); i++) {
        for (const side of i % 2 ? ['floor', 'vsg'] : ['vsg', 'floor']) {
          if (side === 'vsg') {
            s.vsg.push(await timed(() => repo.track('big', { author: 'bench' })));
            await repo.untrack('big', { force: true });
            // the deleted history's rows, dead in vsg's tables, would slow the next round's inserts (autovacuum is off here)
            await c.query('VACUUM vsg.changes, vsg.commits, vsg.commit_graph, vsg.pending');
          } else {
            s.floor.push(await timed(() => c.query('CREATE TABLE big_copy AS SELECT * FROM big')));
            await c.query('DROP TABLE big_copy');
          }
        }
      }
      const row = makeRow({
        scenario: '11 track',
        name: 'vsg track of a table (floor: CREATE TABLE AS SELECT of it)',
        rows: n,
        vsg: s.vsg,
        refs: { floor: s.floor },
        note: 'id bigint primary key, name text, email text, balance numeric(12,2), updated_at timestamptz; alternating rounds, CHECKPOINT before each',
      });
      if (n === 1_000_000) {
        const r = row.ratios.floor ?? null;
        row.goal = { text: `${r === null ? '–' : r.toFixed(2)}× copying the table (goal ≤ 3)`, value: r, limit: 3, pass: r !== null && r <= 3 };
      }
      rows.push(row);
      perRow.push({ n, us: (row.vsg.median * 1000) / n });
    } finally {
      await repo?.close().catch(() => undefined);
      await c.end().catch(() => undefined);
      await dropDatabase(cleanup, name);
    }
  }
  if (perRow.length > 1) {
    const [a, b] = [perRow[0], perRow[perRow.length - 1]];
    const growth = b.us / a.us;
    const row = makeRow({
      scenario: '11 track',
      name: `time per row at ${b.n} rows / at ${a.n} rows (flat: ≤ 1.5)`,
      rows: b.n,
      unit: 'µs/row',
      vsg: b.us,
      note: perRow.map((p) => `${p.n}: ${p.us.toFixed(2)} µs/row`).join(', '),
    });
    row.goal = { text: `${growth.toFixed(2)} (${perRow.map((p) => `${p.us.toFixed(2)} µs/row at ${p.n}`).join(', ')}; goal ≤ 1.5)`, value: growth, limit: 1.5, pass: growth <= 1.5 };
    rows.push(row);
  }
  return rows;
}
