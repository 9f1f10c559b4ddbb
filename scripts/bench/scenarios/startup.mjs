/**
 * Scenario 8: start-up. Wall time (measured here) and peak memory (GNU time's
 * maximum resident set size) of `vsg --version`, `vsg log -n 1` and
 * `vsg status` against the server and against the embedded database, a first
 * `vsg init` in a new directory (with the cluster template npm install made, and with an
 * empty cache) and `vsg demo`, beside Node starting and doing nothing
 * (`node -e 0`: the floor every Node CLI pays), and for the server, beside
 * `psql -c 'select 1'` when psql is installed, as is the least any Node CLI on
 * node-postgres can do (scripts/bench/minimal-client.mjs: connect, one query).
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnSync } from 'node:child_process';
import { makeRow, parseTimeOutput } from '../lib.mjs';
import { VSG_BIN, VSG_ENV, connect, createDatabase, dropDatabase, progress, run as spawnRun, runOk } from '../harness.mjs';

export const id = 'startup';
export const perSize = false;

const GNU_TIME = '/usr/bin/time';
const MINIMAL = fileURLToPath(new URL('../minimal-client.mjs', import.meta.url));

/** Run a command under GNU time: wall ms (ours) and peak RSS kB (its). */
async function measured(cleanup, args, opts) {
  const useTime = existsSync(GNU_TIME);
  const r = useTime
    ? await spawnRun(cleanup, GNU_TIME, ['-f', '%e %M', ...args], opts)
    : await spawnRun(cleanup, args[0], args.slice(1), opts);
  if (r.code !== 0) throw new Error(`${args.join(' ')} exited ${r.code}: ${r.stderr.trim()}`);
  const t = useTime ? parseTimeOutput(r.stderr) : null;
  return { ms: r.ms, kb: t ? t.maxRssKb : null };
}


export async function run(ctx) {
  const { cleanup, reps, prefix } = ctx;
  const name = `${prefix}_startup`;
  const url = await createDatabase(cleanup, name);
  try {
    const c = await connect(cleanup, url);
    await c.query(`CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT i, md5(i::text) FROM generate_series(1, 1000) i`);
    await c.end();
    const node = process.execPath;
    const env = VSG_ENV;
    await runOk(cleanup, node, [VSG_BIN, '--url', url, 'init'], { env });
    await runOk(cleanup, node, [VSG_BIN, '--url', url, 'track', 't'], { env });
    await runOk(cleanup, node, [VSG_BIN, '--url', url, 'commit', '-t', 't', "UPDATE t SET v = 'x' WHERE id = 1"], { env });

    progress('startup: embedded database (PGlite) setup');
    const dir = cleanup.tempDir('vsg-bench-');
    // The cluster template goes to a cache of the bench's own, not the user's.
    const cache = cleanup.tempDir('vsg-bench-cache-');
    const emb = { env: { ...env, VSG_CACHE_DIR: cache }, cwd: dir };
    await runOk(cleanup, node, [VSG_BIN, 'init'], emb);
    await runOk(cleanup, node, [VSG_BIN, 'sql', 'CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT i, md5(i::text) FROM generate_series(1, 1000) i'], emb);
    await runOk(cleanup, node, [VSG_BIN, 'track', 't'], emb);
    await runOk(cleanup, node, [VSG_BIN, 'commit', '-t', 't', "UPDATE t SET v = 'x' WHERE id = 1"], emb);

    const psql = spawnSync('psql', ['--version'], { stdio: 'ignore' }).status === 0;
    const fresh = (root) => mkdtempSync(join(root, 'init-'));
    const initRoot = cleanup.tempDir('vsg-bench-init-');
    // [label, argv, options, floor argv (default node -e 0), a fresh options object per run]
    const cases = [
      ['vsg --version', [node, VSG_BIN, '--version'], { env }],
      ['vsg log -n 1, server', [node, VSG_BIN, '--url', url, 'log', '-n', '1', '--no-pager'], { env }, psql ? ['psql', url, '-qAtc', 'select 1'] : null],
      ['a minimal node-postgres client (connect, one query), server', [node, MINIMAL, url], { env }, psql ? ['psql', url, '-qAtc', 'select 1'] : null],
      ['vsg status, server', [node, VSG_BIN, '--url', url, 'status'], { env }],
      ['vsg log -n 1, embedded', [node, VSG_BIN, 'log', '-n', '1', '--no-pager'], emb],
      ['vsg status, embedded', [node, VSG_BIN, 'status'], emb],
      ['first vsg init, embedded, template made by npm install', [node, VSG_BIN, 'init'], emb, null, () => ({ ...emb, cwd: fresh(initRoot) })],
      ['first vsg init, embedded, empty cache', [node, VSG_BIN, 'init'], emb, null, () => ({ env: { ...env, VSG_CACHE_DIR: fresh(initRoot) }, cwd: fresh(initRoot) })],
      ['vsg demo', [node, VSG_BIN, 'demo'], emb],
    ];
    const rows = [];
    for (const [label, args, opts, floorArgs, each] of cases) {
      progress(`startup: ${label}`);
      const s = { ms: [], kb: [], fms: [], fkb: [] };
      const n = /embedded|demo/.test(label) ? reps.startupEmbedded : reps.process;
      const floor = floorArgs ?? [node, '-e', '0'];
      const floorNote = floorArgs ? "floor: psql -c 'select 1'" : 'floor: node -e 0';
      for (let i = 0; i < n; i++) {
        // alternating with the floor, so that a busy machine weighs on both alike
        const f = await measured(cleanup, floor, { env });
        const v = await measured(cleanup, args, each ? each() : opts);
        s.ms.push(v.ms);
        s.kb.push(v.kb);
        s.fms.push(f.ms);
        s.fkb.push(f.kb);
      }
      rows.push(makeRow({ scenario: '8 start-up', name: `${label}: wall`, unit: 'ms', vsg: s.ms, refs: { floor: s.fms }, note: floorNote }));
      if (s.kb[0] !== null) rows.push(makeRow({ scenario: '8 start-up', name: `${label}: peak RSS`, unit: 'kB', vsg: s.kb, refs: { floor: s.fkb }, note: floorNote }));
    }
    return rows;
  } finally {
    await dropDatabase(cleanup, name);
  }
}
