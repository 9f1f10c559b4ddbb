/**
 * A private Citus cluster for the tests and the bench: a coordinator and two
 * workers, each a private PostgreSQL cluster (test/helpers/cluster.ts) on a
 * port of its own with shared_preload_libraries = 'citus', the extension
 * created in database `postgres` of each, the coordinator's host set and the
 * workers added. Citus is never part of the project: the tests find a
 * PostgreSQL installation that has it through VSG_TEST_CITUS_PG_BIN (its bin
 * directory) and skip, saying why, without it.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { Cluster, clusterSupport } from './cluster.js';

/** The bin directory of a PostgreSQL with the citus extension, or why there is none. */
export function citusSupport(): { bin: string; runner: Parameters<typeof Cluster.create>[0] } | { reason: string } {
  const bin = process.env.VSG_TEST_CITUS_PG_BIN;
  if (!bin) return { reason: 'VSG_TEST_CITUS_PG_BIN is not set (the bin directory of a PostgreSQL 15 with the citus extension installed)' };
  const cfg = spawnSync(path.join(bin, 'pg_config'), ['--pkglibdir'], { encoding: 'utf8' });
  if (cfg.status !== 0) return { reason: `VSG_TEST_CITUS_PG_BIN=${bin}: ${path.join(bin, 'pg_config')} does not run` };
  const so = path.join(cfg.stdout.trim(), 'citus.so');
  if (!fs.existsSync(so)) return { reason: `VSG_TEST_CITUS_PG_BIN=${bin}: ${so} is missing (the citus extension is not installed there)` };
  const s = clusterSupport(bin);
  return 'reason' in s ? s : { bin, runner: s.runner };
}

/** Run statements on a node (a connection of its own). */
export async function onNode<R extends pg.QueryResultRow = pg.QueryResultRow>(url: string, text: string, params?: unknown[]): Promise<pg.QueryResult<R>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query<R>(text, params);
  } finally {
    await c.end();
  }
}

export class CitusCluster {
  private constructor(
    readonly coordinator: Cluster,
    readonly workers: Cluster[],
  ) {}

  /** postgres://… of the coordinator's database `postgres` */
  url(): string {
    return this.coordinator.url();
  }

  /** A coordinator and `workers` workers on this machine, Citus set up in database `postgres`. */
  static async start(support: { bin: string; runner: Parameters<typeof Cluster.create>[0] }, workers = 2): Promise<CitusCluster> {
    // Citus keeps connections between the nodes and prepares its transactions (2PC) on the workers
    const conf = ["shared_preload_libraries = 'citus'", 'max_connections = 100', 'max_prepared_transactions = 100', 'wal_level = logical', 'citus.log_remote_commands = off'];
    const nodes: Cluster[] = [];
    try {
      for (let i = 0; i <= workers; i++) nodes.push(await Cluster.create(support.runner, { bin: support.bin, conf }));
      for (const n of nodes) await onNode(n.url(), 'CREATE EXTENSION citus');
      const [coord, ...rest] = nodes;
      await onNode(coord.url(), 'SELECT citus_set_coordinator_host($1, $2)', ['127.0.0.1', coord.port]);
      for (const w of rest) await onNode(coord.url(), 'SELECT citus_add_node($1, $2)', ['127.0.0.1', w.port]);
      return new CitusCluster(coord, rest);
    } catch (e) {
      for (const n of nodes.reverse()) n.destroy();
      throw e;
    }
  }

  /** Stop every node and remove its directory. */
  destroy(): void {
    for (const w of this.workers) w.destroy();
    this.coordinator.destroy();
  }
}
