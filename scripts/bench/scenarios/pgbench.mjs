/**
 * Scenario 2: an application that does not know vsg exists. pgbench's
 * TPC-B-like load (several clients) against pgbench_accounts untracked, tracked
 * by vsg, and with the audit trigger instead; rounds interleaved, median tps.
 * The three modes differ only in which triggers are enabled on the table.
 * Every run starts right after a CHECKPOINT: the first write to each page
 * after a checkpoint logs the whole page, so a checkpoint falling inside one
 * mode's run (every ~30–60 s at this write rate) would slow that mode alone.
 */
import { makeRow } from '../lib.mjs';
import { connect, createDatabase, dropDatabase, progress, runOk } from '../harness.mjs';
import { AUDIT_DDL, auditTrigger } from '../fixtures.mjs';

export const id = 'pgbench';
export const perSize = false;

const VSG_TRIGGERS = ['vsg_capture_insert', 'vsg_capture_update', 'vsg_capture_delete', 'vsg_capture_truncate'];

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
      progress('pgbench: vsg track pgbench_accounts');
      await repo.track('pgbench_accounts', { author: 'bench' });
      await c.query(AUDIT_DDL + auditTrigger('pgbench_accounts'));
      await c.query('VACUUM ANALYZE');
      const modes = {
        floor: 'ALTER TABLE pgbench_accounts DISABLE TRIGGER USER',
        vsg: `ALTER TABLE pgbench_accounts DISABLE TRIGGER USER; ${VSG_TRIGGERS.map((t) => `ALTER TABLE pgbench_accounts ENABLE TRIGGER ${t}`).join('; ')}`,
        audit: 'ALTER TABLE pgbench_accounts DISABLE TRIGGER USER; ALTER TABLE pgbench_accounts ENABLE TRIGGER audit',
      };
      const tps = { floor: [], vsg: [], audit: [] };
      const clients = 4;
      for (let round = 0; round < reps.pgbenchRounds; round++) {
        for (const mode of ['floor', 'vsg', 'audit']) {
          await c.query(modes[mode]);
          await c.query('CHECKPOINT');
          progress(`pgbench: round ${round + 1}/${reps.pgbenchRounds}, ${mode === 'floor' ? 'untracked' : mode === 'vsg' ? 'tracked by vsg' : 'audit trigger'}, ${reps.pgbenchSeconds} s`);
          const r = await runOk(cleanup, 'pgbench', ['-n', '-c', String(clients), '-j', '2', '-T', String(reps.pgbenchSeconds), ...conn.args, conn.db], {
            env: conn.env,
          });
          const t = parseTps(r.stdout);
          if (t === null) throw new Error(`cannot read tps from pgbench: ${r.stdout}`);
          tps[mode].push(t);
        }
      }
      await c.query('ALTER TABLE pgbench_accounts ENABLE TRIGGER USER');
      const row = makeRow({
        scenario: '2 pgbench',
        name: `TPC-B-like, ${clients} clients, ${reps.pgbenchSeconds} s × ${reps.pgbenchRounds} (tps, higher is better)`,
        rows: reps.pgbenchScale * 100_000,
        unit: 'tps',
        vsg: tps.vsg,
        refs: { floor: tps.floor, snapshot: 'a whole-table snapshot per transaction', audit: tps.audit },
      });
      const r = row.ratios.floor;
      row.goal = { text: `tracked/untracked throughput ${r === null ? '–' : r.toFixed(2)} (goal ≥ 0.85)`, value: r, limit: 0.85, pass: r !== null && r >= 0.85 };
      return [row];
    } finally {
      await repo.close().catch(() => undefined);
      await c.end().catch(() => undefined);
    }
  } finally {
    await dropDatabase(cleanup, name);
  }
}
