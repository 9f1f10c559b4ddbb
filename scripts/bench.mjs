#!/usr/bin/env node
/**
 * `npm run bench`: vsg against the floor (no history), the snapshot design and
 * a row-level audit trigger, measured in the same run. Usage:
 *   node scripts/bench.mjs [--quick] [--large] [--url URL] [--out FILE] [--only a,b] [--reps N]
 * Creates databases named vsg_bench_<pid>_* (VSG_BENCH_PREFIX replaces
 * vsg_bench) on the server and drops them at the end, on failure and on
 * Ctrl-C. Progress on stderr, the table on stdout.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cpus, totalmem, release } from 'node:os';
import { formatTable, parseArgs, resultPath, scalingChecks, sizesFor } from './bench/lib.mjs';
import { Cleanup, ROOT, connect, createDatabase, dropDatabase, freezeBuild, progress } from './bench/harness.mjs';
import { setupSize } from './bench/fixtures.mjs';
import * as commit from './bench/scenarios/commit.mjs';
import * as diff from './bench/scenarios/diff.mjs';
import * as checkout from './bench/scenarios/checkout.mjs';
import * as merge from './bench/scenarios/merge.mjs';
import * as pgbench from './bench/scenarios/pgbench.mjs';
import * as history from './bench/scenarios/history.mjs';
import * as startup from './bench/scenarios/startup.mjs';
import * as tables from './bench/scenarios/tables.mjs';
import * as reset from './bench/scenarios/reset.mjs';
import * as track from './bench/scenarios/track.mjs';
import * as tui from './bench/scenarios/tui.mjs';
import * as forget from './bench/scenarios/forget.mjs';
import * as prune from './bench/scenarios/prune.mjs';
import * as citus from './bench/scenarios/citus.mjs';
import * as pending from './bench/scenarios/pending.mjs';
import * as bulk from './bench/scenarios/bulk.mjs';
import * as dbtime from './bench/scenarios/dbtime.mjs';

const SCENARIOS = [commit, diff, checkout, merge, pgbench, history, startup, tables, reset, track, tui, forget, prune, citus, pending, bulk, dbtime];

const HELP = `usage: npm run bench -- [--quick] [--large] [--url URL] [--out FILE] [--only ${SCENARIOS.map((s) => s.id).join(',')}] [--reps N]
  --quick   10k and 100k rows (scenario 10: 3 x 100k; 11: 10k and 100k; 17: a 100k-row table), fewer repetitions
  --large   add 10M rows (scenario 11 too; scenario 17: commits of a 1M-row UPDATE and INSERT)
  VSG_BENCH_ROWS=N  rows of each of scenario 10's 3 tables (default 1M, 100k with --quick)
  VSG_BENCH_ABORTED=N  dead captured rows of scenario 16 (default 4M, 400k with --quick; a tenth on PGlite)
  VSG_BENCH_PREFIX=NAME  its databases are NAME_<pid>_* instead of vsg_bench_<pid>_* (runs sharing a server, each dropping its own)
  --url     the server (default postgres://postgres@127.0.0.1:5432/postgres); databases vsg_bench_<pid>_* are created and dropped
  --out     where to write the JSON (default bench/results/<timestamp>.json)
  VSG_TEST_CITUS_PG_BIN=DIR  run scenario 15 (citus): DIR is the bin directory of a PostgreSQL 15 with the citus extension; the bench starts a coordinator and two workers of its own`;

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`bench: ${e.message}\n${HELP}\n`);
    process.exit(2);
  }
  if (opts.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const cleanup = new Cleanup(opts.url);
  const build = freezeBuild(cleanup);
  const { openRepository, Repository } = await import(join(build, 'dist', 'index.js'));
  const lib = { openRepository, Repository };
  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`\n[bench] ${signal}: cleaning up\n`);
    cleanup.run().finally(() => process.exit(130));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  const started = new Date();
  const q = opts.quick;
  const reps = {
    engine: opts.reps ?? (q ? 3 : 7),
    process: opts.reps ?? (q ? 3 : 5),
    // enough 1-row commits that an 8 kB page is a few bytes a commit (at 30, one page was 273 B)
    storageSmall: q ? 300 : 1_000,
    storageLarge: q ? 3 : 10,
    startupEmbedded: opts.reps ?? (q ? 2 : 5),
    pgbenchSeconds: q ? 4 : 8,
    pgbenchRounds: q ? 1 : 5,
    pgbenchScale: q ? 1 : 10,
    historyCommits: q ? 1_000 : 100_000,
    tablesSeconds: q ? 2 : 5,
    tablesRounds: q ? 2 : 4,
  };
  const wanted = (s) => !opts.only || opts.only.includes(s.id);
  const out = opts.out ?? join(ROOT, resultPath(started));
  // After each scenario, the figures so far (a stopped run still leaves them).
  const savePartial = () => {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${JSON.stringify({ date: started.toISOString(), partial: true, rows, skipped }, null, 2)}\n`);
  };
  const rows = [];
  const skipped = [];
  // Wall time of each phase, so a run that is too slow says where its time went.
  const timings = [];
  const timed = async (phase, size, work) => {
    const t = performance.now();
    try {
      return await work();
    } finally {
      timings.push({ phase, rows: size, seconds: Math.round((performance.now() - t) / 100) / 10 });
    }
  };
  const prefix = `${process.env.VSG_BENCH_PREFIX || 'vsg_bench'}_${process.pid}`;
  let failed = null;
  try {
    for (const s of SCENARIOS) {
      const why = s.unavailable ? await s.unavailable(lib) : null;
      if (why && wanted(s)) {
        skipped.push({ scenario: s.id, reason: why });
        progress(`skipping ${s.id}: ${why}`);
      }
    }
    const active = SCENARIOS.filter((s) => wanted(s) && !skipped.some((k) => k.scenario === s.id));
    const perSize = active.filter((s) => s.perSize);
    if (perSize.length) {
      for (const size of sizesFor(opts)) {
        const name = `${prefix}_${size}`;
        const url = await createDatabase(cleanup, name);
        const client = await connect(cleanup, url);
        const repo = await lib.openRepository({ url, init: true });
        // BENCH_AUTO_EXPLAIN=<ms>: log the plan of every engine statement slower than that
        // (EXPLAIN ANALYZE via auto_explain, in the server's log) to profile a figure.
        if (process.env.BENCH_AUTO_EXPLAIN) {
          await repo.db.query(`LOAD 'auto_explain'`);
          await repo.db.query(`SET auto_explain.log_min_duration = ${Number(process.env.BENCH_AUTO_EXPLAIN)}; SET auto_explain.log_analyze = on; SET auto_explain.log_nested_statements = on`);
        }
        const ctx = { opts, cleanup, url, size, client, repo, reps, lib, states: {}, skip: (scenario, reason) => { skipped.push({ scenario, rows: size, reason }); progress(`skipping ${scenario} at ${size} rows: ${reason}`); } };
        try {
          await timed('setup', size, () => setupSize(ctx));
          for (const s of perSize) {
            // One scenario failing (a capability mid-change) must not lose the others' figures.
            try {
              rows.push(...(await timed(s.id, size, () => s.run(ctx))));
            } catch (e) {
              if (stopping) throw e;
              skipped.push({ scenario: s.id, rows: size, reason: `failed: ${e.message}` });
              progress(`${s.id} failed at ${size} rows: ${e.stack ?? e}`);
            }
            savePartial();
          }
        } finally {
          await repo.close().catch(() => undefined);
          await client.end().catch(() => undefined);
          await dropDatabase(cleanup, name);
        }
      }
    }
    for (const s of active.filter((x) => !x.perSize)) {
      try {
        rows.push(...(await timed(s.id, null, () => s.run({ opts, cleanup, reps, lib, prefix }))));
      } catch (e) {
        if (stopping) throw e;
        skipped.push({ scenario: s.id, reason: `failed: ${e.message}` });
        progress(`${s.id} failed: ${e.stack ?? e}`);
      }
      savePartial();
    }
  } catch (e) {
    failed = e;
  } finally {
    await cleanup.run();
  }
  if (stopping) return;
  if (failed) {
    process.stderr.write(`[bench] failed: ${failed.stack ?? failed}\n`);
    process.exitCode = 1;
  }
  if (!rows.length) return;

  const checks = scalingChecks(rows);
  const goals = rows.filter((r) => r.goal).map((r) => ({ scenario: r.scenario, name: r.name, rows: r.rows, ...r.goal }));
  const finished = new Date();
  const result = {
    date: started.toISOString(),
    seconds: Math.round((finished - started) / 1000),
    mode: opts.quick ? 'quick' : opts.large ? 'large' : 'full',
    command: `npm run bench${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    machine: await machine(opts.url),
    rows,
    scaling: checks,
    goals,
    skipped,
    timings,
  };
  process.stdout.write(`${formatTable(rows)}\n`);
  for (const ch of checks) {
    process.stdout.write(
      `${ch.pass ? 'ok  ' : 'MISS'} ${ch.scenario} ${ch.name}: 1M/10k ${ch.basis} = ${ch.growth === null ? '–' : ch.growth.toFixed(2)} (limit ${ch.limit})\n`,
    );
  }
  for (const g of goals) process.stdout.write(`${g.pass ? 'ok  ' : 'MISS'} ${g.scenario} ${g.name}: ${g.text}\n`);
  for (const s of skipped) process.stdout.write(`skipped ${s.scenario}${s.rows ? ` at ${s.rows} rows` : ''}: ${s.reason}\n`);
  process.stdout.write(`time: ${timings.map((t) => `${t.phase}${t.rows ? `@${t.rows}` : ''} ${t.seconds} s`).join(', ')}\n`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  progress(`wrote ${out} (${result.seconds} s)`);
}

async function machine(url) {
  const c = cpus();
  let server = null;
  try {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    server = (await client.query('SELECT version() AS v')).rows[0].v;
    await client.end();
  } catch {
    /* reported as null */
  }
  return { cpus: c.length, cpu: c[0]?.model ?? '', memoryGB: Math.round(totalmem() / 2 ** 30), os: `${process.platform} ${release()}`, node: process.version, server };
}

main().catch((e) => {
  process.stderr.write(`[bench] ${e.stack ?? e}\n`);
  process.exit(1);
});
