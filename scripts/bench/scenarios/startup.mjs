/**
 * Scenario 8: start-up. Wall time (measured here) and peak memory (GNU time's
 * maximum resident set size) of `vsg log -n 1` and `vsg status` against the
 * server and against the embedded database, beside Node starting and doing
 * nothing (`node -e 0`: the floor every Node CLI pays).
 */
import { existsSync } from 'node:fs';
import { makeRow, parseTimeOutput } from '../lib.mjs';
import { VSG_BIN, VSG_ENV, connect, createDatabase, dropDatabase, progress, run as spawnRun, runOk } from '../harness.mjs';

export const id = 'startup';
export const perSize = false;

const GNU_TIME = '/usr/bin/time';

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
    const emb = { env, cwd: dir };
    await runOk(cleanup, node, [VSG_BIN, 'init'], emb);
    await runOk(cleanup, node, [VSG_BIN, 'sql', 'CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT i, md5(i::text) FROM generate_series(1, 1000) i'], emb);
    await runOk(cleanup, node, [VSG_BIN, 'track', 't'], emb);
    await runOk(cleanup, node, [VSG_BIN, 'commit', '-t', 't', "UPDATE t SET v = 'x' WHERE id = 1"], emb);

    const cases = [
      ['vsg log -n 1, server', [node, VSG_BIN, '--url', url, 'log', '-n', '1', '--no-pager'], { env }],
      ['vsg status, server', [node, VSG_BIN, '--url', url, 'status'], { env }],
      ['vsg log -n 1, embedded', [node, VSG_BIN, 'log', '-n', '1', '--no-pager'], emb],
      ['vsg status, embedded', [node, VSG_BIN, 'status'], emb],
    ];
    const rows = [];
    for (const [label, args, opts] of cases) {
      progress(`startup: ${label}`);
      const s = { ms: [], kb: [], fms: [], fkb: [] };
      const n = label.includes('embedded') ? reps.startupEmbedded : reps.process;
      for (let i = 0; i < n; i++) {
        const f = await measured(cleanup, [node, '-e', '0'], { env });
        const v = await measured(cleanup, args, opts);
        s.ms.push(v.ms);
        s.kb.push(v.kb);
        s.fms.push(f.ms);
        s.fkb.push(f.kb);
      }
      rows.push(makeRow({ scenario: '8 start-up', name: `${label}: wall`, unit: 'ms', vsg: s.ms, refs: { floor: s.fms } , note: 'floor: node -e 0' }));
      if (s.kb[0] !== null) rows.push(makeRow({ scenario: '8 start-up', name: `${label}: peak RSS`, unit: 'kB', vsg: s.kb, refs: { floor: s.fkb }, note: 'floor: node -e 0' }));
    }
    return rows;
  } finally {
    await dropDatabase(cleanup, name);
  }
}
