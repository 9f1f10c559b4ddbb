/**
 * Scenario 17: large commits against the bare statement (issue 16). The
 * issue's table (scenario 11's: id bigint primary key, name text, email text,
 * balance numeric(12,2), updated_at timestamptz) of 1M rows (100k with
 * --quick), tracked, and an untracked copy of it in the same database. Each
 * round commits `UPDATE big SET balance = balance + 1, updated_at = now()
 * WHERE id BETWEEN …` through the library and runs the same UPDATE on the
 * copy (the floor), alternating which goes first, a CHECKPOINT before each and
 * both tables and vsg's vacuumed between rounds (untimed; autovacuum is off
 * here). Widths: 1,000 and 200,000 rows (1,000 and 20,000 with --quick), and
 * 1M (the whole table) with --large. Then, after the UPDATEs, a commit of
 * `INSERT INTO big SELECT … FROM generate_series(lo, hi)` of as many new rows
 * against the same INSERT into the copy, the same way; each round's keys lie
 * above every earlier round's, so the table grows by the rows inserted.
 * Goals: ≤ 2× at 1,000 rows, ≤ 2.5× above.
 */
import { goal, makeRow } from '../lib.mjs';
import { connect, createDatabase, dropDatabase, progress, time } from '../harness.mjs';
import { insertSql, tableSql } from './track.mjs';

export const id = 'bulk';
export const perSize = false;

/** The table's size and the widths of the commits measured. */
export function bulkShape(opts) {
  if (opts.quick) return { n: 100_000, widths: [1_000, 20_000] };
  return { n: 1_000_000, widths: opts.large ? [1_000, 200_000, 1_000_000] : [1_000, 200_000] };
}

/** Rounds per width: fewer for the large ones. */
function roundsFor(width, reps) {
  if (width >= 1_000_000) return 2;
  if (width >= 100_000) return Math.min(reps.process, 3);
  return reps.engine;
}

export async function run(ctx) {
  const { cleanup, reps, lib, prefix, opts } = ctx;
  const { n, widths } = bulkShape(opts);
  const name = `${prefix}_bulk`;
  const url = await createDatabase(cleanup, name);
  const c = await connect(cleanup, url);
  let repo = null;
  const rows = [];
  try {
    progress(`bulk: ${n}-row table, tracked, and its untracked copy`);
    await c.query(tableSql('big', n));
    await c.query('CREATE TABLE bare AS SELECT * FROM big');
    await c.query('ALTER TABLE bare ADD PRIMARY KEY (id)');
    await c.query('VACUUM ANALYZE big');
    await c.query('VACUUM ANALYZE bare');
    repo = await lib.openRepository({ url, init: true });
    await repo.track('big', { author: 'bench' });
    let at = 0;
    const next = (width) => {
      // consecutive ranges, wrapping: each commit changes rows the last did not
      if (at + width > n) at = 0;
      const lo = at + 1;
      at += width;
      return lo;
    };
    let fresh = n;
    const nextNew = (width) => {
      // keys above the table's, never reused: no round's INSERT meets another's rows
      const lo = fresh + 1;
      fresh += width;
      return lo;
    };
    const update = (table, lo, width) => `UPDATE ${table} SET balance = balance + 1, updated_at = now() WHERE id BETWEEN ${lo} AND ${lo + width - 1}`;
    const insert = (table, lo, width) => insertSql(table, lo, lo + width - 1);
    // One row: rounds alternating which goes first, a commit of `sql` on big against it on bare.
    const measure = async (verb, width, keys, sql) => {
      progress(`bulk: commit of ${width} ${verb === 'UPDATE' ? 'changed' : 'new'} rows against the bare ${verb}`);
      const s = { vsg: [], floor: [] };
      for (let i = 0; i < roundsFor(width, reps); i++) {
        const lo = keys(width);
        for (const side of i % 2 ? ['floor', 'vsg'] : ['vsg', 'floor']) {
          await c.query('VACUUM big, bare, vsg.pending, vsg.changes, vsg.commits');
          await c.query('CHECKPOINT');
          if (side === 'vsg') s.vsg.push(await time(() => repo.commit({ table: 'big', sql: sql('big', lo, width), author: 'bench', message: `bulk ${verb} ${width}` })));
          else s.floor.push(await time(() => c.query(sql('bare', lo, width))));
        }
      }
      return goal(
        makeRow({
          scenario: '17 bulk',
          name: `commit of a ${width.toLocaleString('en-US')}-row ${verb} (engine; floor: the same ${verb} untracked)`,
          rows: n,
          vsg: s.vsg,
          refs: { floor: s.floor },
          note: 'id bigint primary key, name text, email text, balance numeric(12,2), updated_at timestamptz; alternating, CHECKPOINT before each',
        }),
        width <= 1_000 ? 2 : 2.5,
      );
    };
    for (const width of widths) rows.push(await measure('UPDATE', width, next, update));
    for (const width of widths) rows.push(await measure('INSERT', width, nextNew, insert));
  } finally {
    await repo?.close().catch(() => undefined);
    await c.end().catch(() => undefined);
    await dropDatabase(cleanup, name);
  }
  return rows;
}
