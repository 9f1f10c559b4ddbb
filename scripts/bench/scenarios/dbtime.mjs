/**
 * Scenario 1, database time (issue 16): a 1-row commit at most 2x the bare
 * UPDATE in the time the server spends on its statements, as
 * pg_stat_statements sums it. pg_stat_statements has to be loaded when the
 * server starts, which the shared server's configuration does not do: this
 * scenario starts a private server from the PostgreSQL programs in
 * VSG_TEST_PG_BIN (default: PostgreSQL 15's Debian location) with it loaded,
 * tracking top-level statements, utility statements (BEGIN, COMMIT) and
 * planning, and with synchronous_commit off: pg_stat_statements times vsg's
 * COMMIT with its WAL flush but an autocommit UPDATE without its own, so the
 * flush is taken out of both.
 *
 * Scenario 1's tables at 100k rows, built as scenario 1 builds them
 * (fixtures.mjs): tracked, untracked, and with the row-level audit trigger. Each round resets the statistics and makes
 * N commits of a 1-row UPDATE through the library (after untimed ones: a
 * prepared statement's first five runs on a connection are planned for their
 * parameters), then the same for N bare UPDATEs of the untracked copy and N of
 * the audited one; a round's figure is every top-level statement's planning
 * and execution time summed, divided by N.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { goal, makeRow } from '../lib.mjs';
import { connect, progress } from '../harness.mjs';
import { TABLES, setupSize } from '../fixtures.mjs';
import { serversUnavailable, startServers } from '../cluster.mjs';

export const id = 'dbtime';
export const perSize = false;

const BIN = process.env.VSG_TEST_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const ROWS = 100_000;
const WARM = 6;
const PER_ROUND = 200;

/** Why this scenario cannot run here, or null. */
export function unavailable() {
  const why = serversUnavailable(BIN);
  if (why) return `${why} (set VSG_TEST_PG_BIN to a PostgreSQL bin directory)`;
  const lib = spawnSync(join(BIN, 'pg_config'), ['--pkglibdir'], { encoding: 'utf8' });
  if (lib.status !== 0) return `${join(BIN, 'pg_config')} does not run`;
  if (!existsSync(join(lib.stdout.trim(), 'pg_stat_statements.so'))) return `pg_stat_statements is not installed in ${lib.stdout.trim()}`;
  return null;
}

export async function run(ctx) {
  const { cleanup, reps, lib } = ctx;
  progress(`dbtime: starting a private server with pg_stat_statements (${BIN})`);
  const settings = [
    "shared_preload_libraries = 'pg_stat_statements'",
    "pg_stat_statements.track = 'top'",
    'pg_stat_statements.track_utility = on',
    'pg_stat_statements.track_planning = on',
    'synchronous_commit = off',
  ];
  const { nodes, stop } = await startServers(cleanup, BIN, 1, settings, 'dbtime');
  try {
    const url = nodes[0].url;
    const c = await connect(cleanup, url);
    await c.query('CREATE EXTENSION pg_stat_statements');
    const repo = await lib.openRepository({ url, init: true });
    try {
      await setupSize({ client: c, size: ROWS, repo });
      let k = 0;
      const key = () => 1 + ((k++ * 7919) % ROWS);
      const update = (t) => `UPDATE ${t} SET a = a + 1 WHERE id = ${key()}`;
      const commit = () => repo.commit({ table: TABLES.vsg, sql: update(TABLES.vsg), author: 'bench', message: 'database time' });
      const bare = () => c.query(update(TABLES.floor));
      const audited = () => c.query(update(TABLES.audit));
      for (let i = 0; i < WARM; i++) {
        await commit();
        await bare();
        await audited();
      }
      // milliseconds of database time per call of `work`, over one round
      const perCall = async (work) => {
        await c.query('SELECT pg_stat_statements_reset()');
        for (let i = 0; i < PER_ROUND; i++) await work();
        const { rows } = await c.query(
          `SELECT sum(total_plan_time + total_exec_time)::text AS ms FROM pg_stat_statements
           WHERE toplevel AND query NOT ILIKE '%pg_stat_statements%'`,
        );
        return Number(rows[0].ms) / PER_ROUND;
      };
      const s = { vsg: [], floor: [], audit: [] };
      const rounds = Math.max(3, reps.engine);
      progress(`dbtime: ${rounds} rounds of ${PER_ROUND} 1-row commits, bare UPDATEs and audited ones`);
      for (let r = 0; r < rounds; r++) {
        s.vsg.push(await perCall(commit));
        s.floor.push(await perCall(bare));
        s.audit.push(await perCall(audited));
      }
      const row = makeRow({
        scenario: '1 commit',
        name: '1-row UPDATE, database time (pg_stat_statements of a private server)',
        rows: ROWS,
        vsg: s.vsg,
        refs: { floor: s.floor, audit: s.audit },
        note: 'vsg: every statement of the commit (BEGIN, lock-and-run with the UPDATE, create, COMMIT), planning and execution; floor: the same UPDATE untracked; audit: with the audit trigger; synchronous_commit off',
      });
      return [goal(row, 2)];
    } finally {
      await repo.close().catch(() => undefined);
      await c.end().catch(() => undefined);
    }
  } finally {
    stop();
  }
}
