/**
 * Scenario 15: vsg in a Citus cluster (issue 19). Runs only where
 * VSG_TEST_CITUS_PG_BIN names the bin directory of a PostgreSQL 15 that has
 * the citus extension (the variable the Citus tests read); otherwise skipped
 * with the reason. It starts its own cluster, a coordinator and two workers on
 * free ports of 127.0.0.1 (shared_preload_libraries = 'citus'), and stops and
 * removes it at the end.
 *
 * A reference table is versioned on the coordinator's placement, a
 * hash-distributed table on its shards (docs/scaling-out.md). What is
 * measured, in one run: (a) commit latency of a 1-row UPDATE on a tracked
 * table of the coordinator against the same UPDATE untracked; the same on a
 * tracked reference table against an untracked one, and on a tracked
 * distributed table against an untracked one; (b) a pgbench-like throughput
 * (pgbench, a custom 1-row UPDATE script, 4 clients) on each of these tables,
 * rounds interleaved.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { makeRow, median } from '../lib.mjs';
import { connect, progress, runOk, time } from '../harness.mjs';
import { parseTps } from './pgbench.mjs';
import { startServers } from '../cluster.mjs';

export const id = 'citus';
export const perSize = false;

const BIN = process.env.VSG_TEST_CITUS_PG_BIN;
const ROWS = 100_000;

/** Why this scenario cannot run here, or null. */
export function unavailable() {
  if (!BIN) return 'VSG_TEST_CITUS_PG_BIN is not set (the bin directory of a PostgreSQL 15 with the citus extension installed)';
  const lib = spawnSync(join(BIN, 'pg_config'), ['--pkglibdir'], { encoding: 'utf8' });
  if (lib.status !== 0) return `VSG_TEST_CITUS_PG_BIN=${BIN}: pg_config does not run there`;
  if (!existsSync(join(lib.stdout.trim(), 'citus.so'))) return `VSG_TEST_CITUS_PG_BIN=${BIN}: citus.so is not installed there`;
  return null;
}

/** A coordinator and two workers; returns the coordinator's URL and a stop function (also run at process exit). */
async function startCluster(cleanup) {
  const { nodes, stop } = await startServers(cleanup, BIN, 3, ["shared_preload_libraries = 'citus'", 'max_connections = 100', 'max_prepared_transactions = 100', 'shared_buffers = 128MB'], 'citus');
  for (const n of nodes) {
    const c = new pg.Client({ connectionString: n.url });
    await c.connect();
    await c.query('CREATE EXTENSION citus');
    await c.end();
  }
  const c = new pg.Client({ connectionString: nodes[0].url });
  await c.connect();
  await c.query('SELECT citus_set_coordinator_host($1, $2)', ['127.0.0.1', nodes[0].port]);
  for (const w of nodes.slice(1)) await c.query('SELECT citus_add_node($1, $2)', ['127.0.0.1', w.port]);
  await c.end();
  return { url: nodes[0].url, port: nodes[0].port, stop };
}

export async function run(ctx) {
  const { cleanup, reps, lib } = ctx;
  progress(`citus: starting a coordinator and two workers (${BIN})`);
  const cluster = await startCluster(cleanup);
  try {
    const c = await connect(cleanup, cluster.url);
    const repo = await lib.openRepository({ url: cluster.url, init: true });
    try {
      const ddl = (t) => `CREATE TABLE ${t} (id int PRIMARY KEY, a int NOT NULL DEFAULT 0, v text); INSERT INTO ${t} (id, v) SELECT g, md5(g::text) FROM generate_series(1, ${ROWS}) g;`;
      await c.query(
        ddl('c_tracked') + ddl('c_local') + ddl('c_dist') + ddl('c_dist_tracked') + ddl('c_ref_tracked') + ddl('c_ref') +
          `SELECT create_distributed_table('c_dist', 'id'); SELECT create_distributed_table('c_dist_tracked', 'id');
           SELECT create_reference_table('c_ref_tracked'); SELECT create_reference_table('c_ref');`,
      );
      await repo.track('c_tracked', { author: 'bench' });
      await repo.track('c_ref_tracked', { author: 'bench' });
      await repo.track('c_dist_tracked', { author: 'bench' });
      await c.query('VACUUM ANALYZE');
      const rows = [];

      progress('citus: 1-row UPDATE commit latency');
      const s = { vsg: [], floor: [], dist: [], distVsg: [], ref: [], refFloor: [] };
      const n = Math.max(reps.engine * 3, 10);
      for (let i = 0; i < n; i++) {
        const key = 1 + ((i * 7919) % ROWS);
        s.floor.push(await time(() => c.query(`UPDATE c_local SET a = a + 1 WHERE id = ${key}`)));
        s.dist.push(await time(() => c.query(`UPDATE c_dist SET a = a + 1 WHERE id = ${key}`)));
        s.distVsg.push(await time(() => repo.commit({ table: 'c_dist_tracked', sql: `UPDATE c_dist_tracked SET a = a + 1 WHERE id = ${key}`, author: 'bench', message: 'citus bench' })));
        s.vsg.push(await time(() => repo.commit({ table: 'c_tracked', sql: `UPDATE c_tracked SET a = a + 1 WHERE id = ${key}`, author: 'bench', message: 'citus bench' })));
        s.refFloor.push(await time(() => c.query(`UPDATE c_ref SET a = a + 1 WHERE id = ${key}`)));
        s.ref.push(await time(() => repo.commit({ table: 'c_ref_tracked', sql: `UPDATE c_ref_tracked SET a = a + 1 WHERE id = ${key}`, author: 'bench', message: 'citus bench' })));
      }
      rows.push(
        makeRow({
          scenario: '15 citus',
          name: '1-row UPDATE, coordinator table tracked (vsg commit) vs untracked',
          rows: ROWS,
          vsg: s.vsg,
          refs: { floor: s.floor, snapshot: 'not measured', audit: 'not measured' },
        }),
        makeRow({
          scenario: '15 citus',
          name: '1-row UPDATE, distributed table (2 workers) tracked (vsg commit, captured on its shards) vs untracked',
          rows: ROWS,
          vsg: s.distVsg,
          refs: { floor: s.dist, snapshot: 'not measured', audit: 'not measured' },
        }),
        makeRow({
          scenario: '15 citus',
          name: '1-row UPDATE, reference table tracked (vsg commit, captured on the coordinator\'s placement) vs untracked',
          rows: ROWS,
          vsg: s.ref,
          refs: { floor: s.refFloor, snapshot: 'not measured', audit: 'not measured' },
        }),
      );

      const script = join(cleanup.tempDir('vsg-bench-citus-script-'), 'update.sql');
      const conn = ['-h', '127.0.0.1', '-p', String(cluster.port), '-U', 'postgres', 'postgres'];
      const tps = { c_tracked: [], c_local: [], c_dist_tracked: [], c_dist: [], c_ref_tracked: [], c_ref: [] };
      for (let round = 0; round < reps.pgbenchRounds; round++) {
        for (const t of Object.keys(tps)) {
          writeFileSync(script, `\\set id random(1, ${ROWS})\nUPDATE ${t} SET a = a + 1 WHERE id = :id;\n`);
          await c.query('CHECKPOINT');
          progress(`citus: pgbench-like 1-row UPDATEs on ${t}, round ${round + 1}/${reps.pgbenchRounds}, ${reps.pgbenchSeconds} s`);
          const r = await runOk(cleanup, join(BIN, 'pgbench'), ['-n', '-c', '4', '-j', '2', '-T', String(reps.pgbenchSeconds), '-f', script, ...conn]);
          const v = parseTps(r.stdout);
          if (v === null) throw new Error(`cannot read tps from pgbench: ${r.stdout}`);
          tps[t].push(v);
        }
      }
      const tpsRow = (what, tracked, untracked, note) =>
        makeRow({
          scenario: '15 citus',
          name: `pgbench-like 1-row UPDATEs, 4 clients, ${reps.pgbenchSeconds} s × ${reps.pgbenchRounds} (tps, higher is better): ${what} tracked vs untracked`,
          rows: ROWS,
          unit: 'tps',
          vsg: tracked,
          refs: { floor: untracked, snapshot: 'not measured', audit: 'not measured' },
          ...(note ? { note } : {}),
        });
      rows.push(
        tpsRow('coordinator table', tps.c_tracked, tps.c_local),
        tpsRow('distributed table (2 workers)', tps.c_dist_tracked, tps.c_dist),
        tpsRow('reference table', tps.c_ref_tracked, tps.c_ref),
      );
      return rows;
    } finally {
      await repo.close().catch(() => undefined);
      await c.end().catch(() => undefined);
    }
  } finally {
    cluster.stop();
  }
}
