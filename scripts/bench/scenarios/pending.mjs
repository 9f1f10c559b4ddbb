/**
 * Scenario 16: status and commit after an application's rolled-back writes
 * (issue 16). A 100,000-row table is tracked; an application then runs
 * `BEGIN; UPDATE <every row>; ROLLBACK` until 4M captured rows lie dead in
 * vsg.pending (400k with --quick; VSG_BENCH_ABORTED sets it), with
 * autovacuum off for vsg.pending, as on a server that has it off and on the
 * embedded database, which has none. Figures, each beside the same operation
 * on the clean repository just before (its floor):
 * (a) the status statement alone over the dead rows (what every status and
 *     commit paid before vsg tidied);
 * (b) the first `status()` after them, which reads the statistic in passing
 *     and VACUUMs vsg.pending (once);
 * (c) `status()` after that (goal ≤ 2× clean) and a 1-row commit (goal ≤ 2×).
 * The calls of a few ms are timed 15 times (or --reps) after one untimed call.
 * The same on the embedded database (PGlite) with a 20,000-row table and a
 * tenth of the dead rows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goal, makeRow, median } from '../lib.mjs';
import { BUILD, connect, createDatabase, dropDatabase, progress, time } from '../harness.mjs';

export const id = 'pending';
export const perSize = false;

/** The dead captured rows to leave: VSG_BENCH_ABORTED, else 400k with --quick, else 4M. */
export function abortedFor(opts, env = process.env) {
  const n = Number(env.VSG_BENCH_ABORTED);
  if (env.VSG_BENCH_ABORTED !== undefined && !(Number.isInteger(n) && n >= 10_000)) throw new Error(`VSG_BENCH_ABORTED must be a whole number of at least 10000, not '${env.VSG_BENCH_ABORTED}'`);
  return env.VSG_BENCH_ABORTED !== undefined ? n : opts.quick ? 400_000 : 4_000_000;
}

/** `reps` timings (ms) of fn, after one untimed call (a plan made again after the VACUUM, a cold cache). */
async function samples(fn, reps) {
  await fn();
  const out = [];
  for (let i = 0; i < reps; i++) out.push(await time(fn));
  return out;
}

/** One database's figures: `q` runs SQL as the application, `repo` is vsg's. */
async function measure({ label, q, repo, rows, aborted, reps }) {
  const text = readFileSync(join(BUILD, 'sql', 'status', 'pending.sql'), 'utf8');
  const tableId = (await repo.db.query(`SELECT id::text AS id FROM vsg.tracked LIMIT 1`)).rows[0].id;
  const statement = () => q(text, [tableId]);
  let k = 0;
  const commit = () => repo.commit({ table: 't', sql: `UPDATE t SET n = n + 1 WHERE id = ${1 + (k++ % 100)}`, author: 'bench' });
  // the calls of a few ms: enough samples that the median stands on a shared machine
  const many = Math.max(reps, 15);
  const clean = { status: await samples(() => repo.status(), many), statement: await samples(statement, many), commit: await samples(commit, many) };
  progress(`pending (${label}): ${aborted} captured rows rolled back`);
  for (let done = 0; done < aborted; done += rows) await q(`BEGIN; UPDATE t SET v = v || 'x' WHERE id <= ${Math.min(rows, aborted - done)}; ROLLBACK`);
  // (no warm-up call here: each read of the dead rows prunes some heap pages for the next)
  const dead = { statement: [await time(statement), await time(statement), await time(statement)] };
  const first = await time(() => repo.status());
  const after = { status: await samples(() => repo.status(), many), commit: await samples(commit, many) };
  const s = `16 pending (${label})`;
  const n = `${aborted >= 1e6 ? `${+(aborted / 1e6).toFixed(1)}M` : `${Math.round(aborted / 1e3)}k`} dead rows`;
  return [
    makeRow({ scenario: s, name: `status statement over ${n}, untidied`, rows, vsg: dead.statement, refs: { floor: clean.statement }, note: 'what every status and commit paid before vsg tidied (3 runs, each pruning heap pages for the next); floor: the same statement clean' }),
    makeRow({ scenario: s, name: `first status after ${n} (tidies)`, rows, vsg: [first], refs: { floor: clean.status }, note: 'once: reads the statistic in passing, then VACUUMs vsg.pending' }),
    goal(makeRow({ scenario: s, name: `status after ${n}, tidied`, rows, vsg: after.status, refs: { floor: clean.status }, note: 'floor: status of the clean repository' }), 2),
    goal(makeRow({ scenario: s, name: `1-row commit after ${n}, tidied`, rows, vsg: after.commit, refs: { floor: clean.commit }, note: `floor: the same commit clean (${median(clean.commit).toFixed(1)} ms)` }), 2),
  ];
}

export async function run(ctx) {
  const { cleanup, reps, lib, prefix, opts } = ctx;
  const aborted = abortedFor(opts);
  const out = [];
  const name = `${prefix}_pending`;
  const url = await createDatabase(cleanup, name);
  const c = await connect(cleanup, url);
  let repo = null;
  try {
    const rows = 100_000;
    await c.query(`CREATE TABLE t (id int PRIMARY KEY, v text, n int); INSERT INTO t SELECT i, md5(i::text), i FROM generate_series(1, ${rows}) i`);
    repo = await lib.openRepository({ url, init: true });
    await repo.track('t', { author: 'bench' });
    await c.query('ALTER TABLE vsg.pending SET (autovacuum_enabled = off)');
    out.push(...(await measure({ label: 'server', q: (t, p) => c.query(t, p), repo, rows, aborted, reps: reps.engine })));
  } finally {
    await repo?.close().catch(() => undefined);
    await c.end().catch(() => undefined);
    await dropDatabase(cleanup, name);
  }
  const dir = cleanup.tempDir('vsg-bench-pending-');
  const emb = await lib.openRepository({ dir: join(dir, '.vsg'), init: true });
  try {
    const rows = 20_000;
    await emb.sql(`CREATE TABLE t (id int PRIMARY KEY, v text, n int); INSERT INTO t SELECT i, md5(i::text), i FROM generate_series(1, ${rows}) i`);
    await emb.track('t', { author: 'bench' });
    const q = (t, p) => (p ? emb.db.query(t, p) : emb.sql(t));
    out.push(...(await measure({ label: 'PGlite', q, repo: emb, rows, aborted: Math.max(10_000, Math.round(aborted / 10)), reps: reps.engine })));
  } finally {
    await emb.close().catch(() => undefined);
  }
  return out;
}
