/**
 * Scenario 14: prune 90% of a long history. A 1,000-row table gets 100,000
 * commits (10,000 with --quick), each a 1-row UPDATE recorded by the engine's
 * own commit statement (the history of scenario 7, buildHistory), then
 * `prune --before HEAD~<10%>` is timed through the library, vacuum off: it
 * walks the pruned commits, keeps a base of the table (1,000 rows with salts
 * and row hashes), deletes their change rows and blanks their headers, and
 * records the PRUNE entry. Its floor is the bare deletion of the same change
 * rows in one statement (rolled back first). The VACUUM FULL that follows a
 * prune by default is timed once beside it, with the size of vsg.changes +
 * vsg.commits before the prune, after it, and after the VACUUM FULL (a plain
 * VACUUM leaves them as large as after the prune: the blanked headers are new
 * row versions). Once: a prune is destructive.
 */
import { makeRow } from '../lib.mjs';
import { connect, createDatabase, dropDatabase, progress, time } from '../harness.mjs';
import { buildHistory } from './history.mjs';

export const id = 'prune';
export const perSize = false;

const SIZE = `SELECT (pg_total_relation_size('vsg.changes') + pg_total_relation_size('vsg.commits'))::bigint AS n`;

export async function run(ctx) {
  const { cleanup, prefix, lib, opts } = ctx;
  const total = opts.quick ? 10_000 : 100_000;
  const keep = total / 10;
  const name = `${prefix}_prune`;
  const url = await createDatabase(cleanup, name);
  try {
    const c = await connect(cleanup, url);
    const repo = await lib.openRepository({ url, init: true });
    try {
      if (typeof repo.prune !== 'function') {
        ctx.notes?.push('prune: not in this build');
        return [];
      }
      await buildHistory(c, repo, total, 'prune');
      await c.query('VACUUM ANALYZE');
      const mb = (n) => `${(Number(n) / (1 << 20)).toFixed(1)} MB`;
      const { rows: b } = await c.query(`SELECT seq FROM vsg.commits WHERE id = (SELECT commit_id FROM vsg.refs WHERE name = 'main')`);
      const boundarySeq = Number(b[0].seq) - keep;
      const floor = await time(async () => {
        await c.query('BEGIN');
        await c.query('DELETE FROM vsg.changes WHERE seq < $1', [boundarySeq]);
        await c.query('ROLLBACK');
      });
      const before = (await c.query(SIZE)).rows[0].n;
      progress(`prune: ${total + 1} commits, pruning all but the last ${keep}`);
      let r;
      const t = await time(async () => (r = await repo.prune({ before: `HEAD~${keep}`, author: 'bench', vacuum: false })));
      if (r.entry?.commits !== total + 1 - keep - 1) throw new Error(`prune pruned ${r.entry?.commits} commits, not ${total - keep}`);
      const note = `${r.entry.commits} of ${total + 1} commits (${r.tables[0].changes} change rows) pruned; base of 1,000 rows; floor: the bare DELETE of those change rows`;
      const rows = [makeRow({ scenario: '14 prune', name: 'prune 90% of the history (no vacuum)', rows: total, vsg: [t], refs: { floor: [floor] }, note })];
      progress('prune: the VACUUM FULL after it');
      const mid = (await c.query(SIZE)).rows[0].n;
      const full = await time(() => c.query('VACUUM FULL vsg.changes, vsg.commits, vsg.base_rows'));
      const after = (await c.query(SIZE)).rows[0].n;
      rows.push(makeRow({ scenario: '14 prune', name: 'VACUUM FULL after it (the default)', rows: total, vsg: [full], refs: {}, note: `once; vsg.changes + vsg.commits ${mb(before)} before the prune, ${mb(mid)} after it, ${mb(after)} after the VACUUM FULL` }));
      const v = await time(async () => {
        const res = await repo.verify();
        if (!res.ok) throw new Error(`verify after prune: ${res.problems[0]?.code}`);
      });
      rows.push(makeRow({ scenario: '14 prune', name: 'verify after it', rows: total, vsg: [v], refs: {}, note: 'once; the pruned headers are checked by the PRUNE entry hash' }));
      return rows;
    } finally {
      await repo.close().catch(() => undefined);
      await c.end().catch(() => undefined);
    }
  } finally {
    await dropDatabase(cleanup, name);
  }
}
