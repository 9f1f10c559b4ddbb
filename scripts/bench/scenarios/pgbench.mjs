/**
 * Scenario 2: an application that does not know vsg exists. pgbench's
 * TPC-B-like load (several clients) against its three updated tables
 * (pgbench_accounts, pgbench_tellers, pgbench_branches; pgbench_history has no
 * key and takes inserts only) untracked, tracked by vsg, and with a row-level
 * audit trigger on the same three instead; rounds interleaved, median tps.
 * The three modes differ only in which triggers are enabled on the tables.
 * Every run starts right after a CHECKPOINT: the first write to each page
 * after a checkpoint logs the whole page, so a checkpoint falling inside one
 * mode's run (every ~30–60 s at this write rate) would slow that mode alone.
 * The same again with synchronous_commit = off for the clients: where the
 * disk's fsync dominates a transaction, that shows the CPU cost of capture.
 */
import { makeRow } from '../lib.mjs';
import { connect, createDatabase, dropDatabase, progress, runOk } from '../harness.mjs';
import { AUDIT_DDL, auditTrigger } from '../fixtures.mjs';

export const id = 'pgbench';
export const perSize = false;

const VSG_TRIGGERS = ['vsg_capture_insert', 'vsg_capture_update', 'vsg_capture_delete', 'vsg_capture_truncate'];
/** the tables TPC-B updates (pgbench_history only takes inserts and has no key) */
const TRACKED = ['pgbench_accounts', 'pgbench_tellers', 'pgbench_branches'];

/** pgbench connection flags from a URL (host, port, user; password through PGPASSWORD). */
export function pgbenchConn(url) {
  const u = new URL(url);
  const args = ['-h', u.hostname || '127.0.0.1', '-p', u.port || '5432'];
  if (u.username) args.push('-U', decodeURIComponent(u.username));
  return { args, env: u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}, db: decodeURIComponent(u.pathname.slice(1)) };
}

/** tps from pgbench's report. */
export function parseTps(out) {
  const m = /tps = ([\d.]+) \((?:without initial connection time|excluding connections establishing)\)/.exec(out);
  return m ? Number(m[1]) : null;
}

export async function run(ctx) {
  const { cleanup, reps, prefix, lib } = ctx;
  const name = `${prefix}_pgbench`;
  const url = await createDatabase(cleanup, name);
  const conn = pgbenchConn(url);
  try {
    progress(`pgbench: initialising scale ${reps.pgbenchScale} (${reps.pgbenchScale * 100_000} accounts)`);
    await runOk(cleanup, 'pgbench', ['-i', '-q', '-s', String(reps.pgbenchScale), ...conn.args, conn.db], { env: conn.env });
    const c = await connect(cleanup, url);
    const repo = await lib.openRepository({ url, init: true });
    try {
      progress(`pgbench: vsg track ${TRACKED.join(', ')}`);
      await repo.trackTables([...TRACKED], { author: 'bench' });
      await c.query(AUDIT_DDL + TRACKED.map((t) => auditTrigger(t)).join(''));
      await c.query('VACUUM ANALYZE');
      const only = (triggers) => TRACKED.map((t) => [`ALTER TABLE ${t} DISABLE TRIGGER USER`, ...triggers.map((g) => `ALTER TABLE ${t} ENABLE TRIGGER ${g}`)].join('; ')).join('; ');
      const modes = { floor: only([]), vsg: only(VSG_TRIGGERS), audit: only(['audit']) };
      const clients = 4;
      const rows = [];
      for (const sync of ['on', 'off']) {
        const tps = { floor: [], vsg: [], audit: [] };
        const env = { ...conn.env, PGOPTIONS: `-c synchronous_commit=${sync}` };
        for (let round = 0; round < reps.pgbenchRounds; round++) {
          for (const mode of ['floor', 'vsg', 'audit']) {
            await c.query(modes[mode]);
            await c.query('CHECKPOINT');
            progress(`pgbench: synchronous_commit ${sync}, round ${round + 1}/${reps.pgbenchRounds}, ${mode === 'floor' ? 'untracked' : mode === 'vsg' ? 'tracked by vsg' : 'audit trigger'}, ${reps.pgbenchSeconds} s`);
            const r = await runOk(cleanup, 'pgbench', ['-n', '-c', String(clients), '-j', '2', '-T', String(reps.pgbenchSeconds), ...conn.args, conn.db], { env });
            const t = parseTps(r.stdout);
            if (t === null) throw new Error(`cannot read tps from pgbench: ${r.stdout}`);
            tps[mode].push(t);
          }
        }
        const row = makeRow({
          scenario: '2 pgbench',
          name: `TPC-B-like, 3 tables tracked, ${clients} clients, synchronous_commit ${sync}, ${reps.pgbenchSeconds} s × ${reps.pgbenchRounds} (tps, higher is better)`,
          rows: reps.pgbenchScale * 100_000,
          unit: 'tps',
          vsg: tps.vsg,
          refs: { floor: tps.floor, snapshot: 'a whole-table snapshot per transaction', audit: tps.audit },
        });
        // tps ratios: vsg against untracked, and the audit trigger against untracked
        const r = row.ratios.floor;
        const audit = r === null || !row.ratios.audit ? null : r / row.ratios.audit;
        const pass = r !== null && audit !== null && r >= 0.9 && r >= audit - 0.03;
        row.goal = {
          text: `tracked/untracked ${r === null ? '–' : r.toFixed(2)} (goal ≥ 0.90), audit trigger/untracked ${audit === null ? '–' : audit.toFixed(2)} (goal: vsg within 0.03 of it or above)`,
          value: r,
          limit: 0.9,
          pass,
        };
        rows.push(row);
      }
      await c.query(TRACKED.map((t) => `ALTER TABLE ${t} ENABLE TRIGGER USER`).join('; '));
      return rows;
    } finally {
      await repo.close().catch(() => undefined);
      await c.end().catch(() => undefined);
    }
  } finally {
    await dropDatabase(cleanup, name);
  }
}
