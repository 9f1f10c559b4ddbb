/**
 * Scenario 10: a whole-repository checkout of 3 related tables (issue 15).
 * clients ← orders ← items (foreign keys, ON DELETE CASCADE, the referencing
 * columns indexed), 1M rows each (100k with --quick; VSG_BENCH_ROWS sets
 * it), tracked together and tagged `fixture`. Beside each figure, the floor:
 * reloading the same 3 tables the bare PostgreSQL way, one transaction of one
 * `TRUNCATE` and an `INSERT … SELECT` from a copy of the target state per
 * table, into 3 untracked tables with the same keys. Figures:
 * (a) `checkout` of the whole repository across 1,000 rows changed by a
 *     commit across the 3 tables, there and back (cost follows the change:
 *     a small ratio, goal ≤ 0.1× at 1M rows);
 * (b) the same 1,000 changes made outside vsg and left uncommitted, discarded
 *     by `restore` and by `checkout --force fixture`;
 * (c) `checkout` across a completely different state (every row of the 3
 *     tables changed by one commit), there and back, which reloads the 3
 *     tables together from checkpoints (goal ≤ 1.5×); the every-row commit's
 *     own time is reported beside the same UPDATEs on the floor's tables.
 * Rounds alternate between vsg and the floor, each timed write after a CHECKPOINT.
 */
import { goal, makeRow } from '../lib.mjs';
import { connect, createDatabase, dropDatabase, progress, time } from '../harness.mjs';

export const id = 'reset';
export const perSize = false;

const TABLES = ['clients', 'orders', 'items'];

/** Why this build cannot run the scenario, or null. */
export function unavailable(lib) {
  const p = lib.Repository?.prototype ?? {};
  const missing = ['trackTables', 'createTags', 'checkoutMany', 'restoreMany'].filter((m) => typeof p[m] !== 'function');
  return missing.length ? `this build's Repository has no ${missing.join('/')}()` : null;
}

/** The rows of each table: VSG_BENCH_ROWS, else 100k with --quick, else 1M. */
export function rowsFor(opts, env = process.env) {
  const n = Number(env.VSG_BENCH_ROWS);
  if (env.VSG_BENCH_ROWS !== undefined && !(Number.isInteger(n) && n >= 2000)) throw new Error(`VSG_BENCH_ROWS must be a whole number of at least 2000, not '${env.VSG_BENCH_ROWS}'`);
  return env.VSG_BENCH_ROWS !== undefined ? n : opts.quick ? 100_000 : 1_000_000;
}

/** The 3 tables with suffix `s` (their keys among themselves), holding n rows each. */
function schemaSql(s, n) {
  return `CREATE TABLE clients${s} (id bigint PRIMARY KEY, name text NOT NULL, city text NOT NULL, score int NOT NULL);
    CREATE TABLE orders${s} (id bigint PRIMARY KEY, client_id bigint NOT NULL REFERENCES clients${s} ON DELETE CASCADE,
      total numeric(12,2) NOT NULL, placed timestamptz NOT NULL);
    CREATE TABLE items${s} (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders${s} ON DELETE CASCADE,
      sku text NOT NULL, qty int NOT NULL);
    CREATE INDEX ON orders${s} (client_id);
    CREATE INDEX ON items${s} (order_id);
    INSERT INTO clients${s} SELECT i, md5(i::text), 'city ' || (i % 500), i % 1000 FROM generate_series(1, ${n}) i;
    INSERT INTO orders${s} SELECT i, (i::bigint * 7919 % ${n}) + 1, (i % 100000) / 100.0, timestamptz '2026-01-01' + i * interval '1 second' FROM generate_series(1, ${n}) i;
    INSERT INTO items${s} SELECT i, (i::bigint * 104729 % ${n}) + 1, 'sku-' || (i % 5000), 1 + i % 9 FROM generate_series(1, ${n}) i;`;
}

/** 1,000 rows changed across the 3 tables (334 + 333 + 333), `k` making each round's values new. */
function thousand(s, n, k) {
  const step = Math.floor(n / 334);
  return `UPDATE clients${s} SET score = score + ${k} WHERE id % ${step} = 0 AND id <= ${step * 334};
    UPDATE orders${s} SET total = total + ${k} WHERE id % ${step} = 1 AND id <= ${step * 333};
    UPDATE items${s} SET qty = qty + ${k} WHERE id % ${step} = 2 AND id <= ${step * 333}`;
}

/** Every row of the 3 tables changed. */
function everyRow(s) {
  return `UPDATE clients${s} SET score = score + 1, name = md5(name); UPDATE orders${s} SET total = total + 1;
    UPDATE items${s} SET qty = qty + 1, sku = md5(sku)`;
}

export async function run(ctx) {
  const { cleanup, reps, lib, prefix, opts } = ctx;
  const n = rowsFor(opts);
  const name = `${prefix}_reset`;
  const url = await createDatabase(cleanup, name);
  const c = await connect(cleanup, url);
  let repo = null;
  const rows = [];
  try {
    progress(`reset: 3 related tables of ${n} rows, tracked, and the floor's copies`);
    await c.query(schemaSql('', n));
    await c.query(schemaSql('_floor', n));
    // the states the floor reloads: the fixture, and (c)'s every-row state
    await c.query(TABLES.map((t) => `CREATE TABLE ${t}_fx AS TABLE ${t};`).join('\n'));
    await c.query('VACUUM ANALYZE');
    repo = await lib.openRepository({ url, init: true });
    await repo.trackTables(TABLES, { author: 'bench' });
    await repo.createTags({ name: 'fixture' });
    const reload = (copy) => async () => {
      await c.query('BEGIN');
      await c.query(`TRUNCATE ${TABLES.map((t) => `${t}_floor`).join(', ')}`);
      for (const t of TABLES) await c.query(`INSERT INTO ${t}_floor SELECT * FROM ${t}_${copy}`);
      await c.query('COMMIT');
    };
    const timed = async (fn) => {
      await c.query('CHECKPOINT');
      return time(fn);
    };
    const clean = async () => {
      for (const s of await repo.status()) if (!s.clean) throw new Error(`${s.table} has uncommitted changes`);
    };

    // (a) 1,000 rows committed across the 3 tables, checked out there and back
    progress('reset: checkout across 1,000 changed rows');
    await repo.commit({ sql: thousand('', n, 1), author: 'bench', message: '1,000 rows across 3 tables' });
    await repo.createTags({ name: 'thousand' });
    const a = { vsg: [], floor: [] };
    for (let i = 0; i < reps.engine * 2; i++) {
      for (const side of i % 2 ? ['floor', 'vsg'] : ['vsg', 'floor']) {
        if (side === 'vsg') a.vsg.push(await timed(() => repo.checkoutMany({ ref: i % 2 ? 'thousand' : 'fixture', author: 'bench' })));
        else a.floor.push(await timed(reload('fx')));
      }
    }
    // an even number of checkouts: back at the 1,000 rows' commit; one more to the fixture
    await repo.checkoutMany({ ref: 'fixture', author: 'bench' });
    await clean();
    // a goal where the reload is large enough to be left behind; below 1M rows the ratio is reported
    const small = (row) => (n >= 1_000_000 ? goal(row, 0.1) : row);
    rows.push(small(makeRow({
      scenario: '10 reset',
      name: 'whole-repository checkout across 1,000 rows changed in 3 related tables (floor: reloading the 3 tables)',
      rows: n,
      vsg: a.vsg,
      refs: { floor: a.floor },
      note: `3 tables of ${n} rows each; there and back, a CHECKOUT commit across them each time`,
    })));

    // (b) the same 1,000 changes uncommitted, discarded by restore and by checkout --force
    progress('reset: restore and checkout --force of 1,000 uncommitted changes');
    const b = { restore: [], force: [], floor: [] };
    const sides = ['restore', 'force', 'floor'];
    for (let i = 0; i < reps.engine; i++) {
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(i + k) % sides.length];
        if (side === 'floor') {
          b.floor.push(await timed(reload('fx')));
          continue;
        }
        await c.query(thousand('', n, 100 + i));
        b[side].push(await timed(() => (side === 'restore' ? repo.restoreMany() : repo.checkoutMany({ ref: 'fixture', force: true, author: 'bench' }))));
        await clean();
      }
    }
    for (const [side, what] of [['restore', '`restore`'], ['force', '`checkout --force fixture`']]) {
      rows.push(small(makeRow({
        scenario: '10 reset',
        name: `${what} of 1,000 uncommitted changes in 3 related tables (floor: reloading the 3 tables)`,
        rows: n,
        vsg: b[side],
        refs: { floor: b.floor },
        note: 'the changes made outside vsg, across the 3 tables',
      })));
    }

    // (c) a completely different state: every row of the 3 tables changed by one commit
    progress(`reset: committing a change to every row of the 3 tables (${3 * n} rows)`);
    const commitAll = await time(() => repo.commit({ sql: everyRow(''), author: 'bench', message: 'every row' }));
    await repo.createTags({ name: 'every' });
    const bareAll = await timed(async () => {
      await c.query('BEGIN');
      await c.query(everyRow('_floor'));
      await c.query('COMMIT');
    });
    await c.query(TABLES.map((t) => `CREATE TABLE ${t}_all AS TABLE ${t};`).join('\n'));
    rows.push(makeRow({
      scenario: '10 reset',
      name: 'commit of every row of 3 related tables, one commit across them (floor: the same UPDATEs, untracked)',
      rows: 3 * n,
      vsg: [commitAll],
      refs: { floor: [bareAll] },
      note: 'one sample: the commit that (c) checks out across',
    }));
    progress(`reset: the every-row commit took ${(commitAll / 1000).toFixed(1)} s`);
    progress('reset: checkout across a completely different state');
    const wReps = n >= 1_000_000 ? 2 : Math.max(2, Math.min(3, reps.engine));
    const w = { vsg: [], floor: [], reloaded: 0 };
    for (let i = 0; i < wReps * 2; i++) {
      for (const side of i % 2 ? ['floor', 'vsg'] : ['vsg', 'floor']) {
        if (side === 'floor') {
          w.floor.push(await timed(reload(i % 2 ? 'all' : 'fx')));
          continue;
        }
        let r;
        w.vsg.push(await timed(async () => {
          r = await repo.checkoutMany({ ref: i % 2 ? 'every' : 'fixture', author: 'bench' });
        }));
        w.reloaded += TABLES.filter((t) => r[t].reload !== null).length;
      }
    }
    await clean();
    rows.push(goal(makeRow({
      scenario: '10 reset',
      name: 'whole-repository checkout across a completely different state of 3 related tables (floor: reloading the 3 tables)',
      rows: n,
      vsg: w.vsg,
      refs: { floor: w.floor },
      note: `every row of the 3 tables differs; there and back; ${w.reloaded} of ${wReps * 2 * 3} table checkouts reloaded from a checkpoint`,
    }), 1.5));
    return rows;
  } finally {
    await repo?.close().catch(() => undefined);
    await c.end().catch(() => undefined);
    await dropDatabase(cleanup, name);
  }
}
